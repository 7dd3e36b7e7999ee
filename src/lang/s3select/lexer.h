// The lexer of S3 Select SQL: identifiers (bare, or "quoted" and case sensitive), 'string'
// literals, numbers and operators. Keywords are bare identifiers the parser recognises, so
// a quoted "CAST" stays a name (s3-select-sql-reference-keyword-list.html).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nimbus::s3select {

enum class TokenType { Ident, QuotedIdent, String, Number, Op, End };

struct Token {
  TokenType type = TokenType::End;
  std::string text;  // identifier / literal contents (unescaped), or the operator
  size_t offset = 0;

  bool is_op(std::string_view op) const { return type == TokenType::Op && text == op; }
  bool is_keyword(std::string_view kw) const;  // bare identifier, any case
};

// Throws AwsError LexerInvalidChar / LexerInvalidLiteral.
std::vector<Token> tokenize(std::string_view sql);

}  // namespace nimbus::s3select
