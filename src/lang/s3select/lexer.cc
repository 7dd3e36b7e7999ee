// Splits an S3 Select expression into tokens; errors carry AWS's Lexer* codes.
#include "lang/s3select/lexer.h"

#include <cctype>

#include "lang/s3select/errors.h"

namespace nimbus::s3select {

bool Token::is_keyword(std::string_view kw) const {
  if (type != TokenType::Ident || text.size() != kw.size()) return false;
  for (size_t i = 0; i < kw.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != kw[i]) return false;
  }
  return true;
}

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

// 'it''s' -> it's ; "a""b" -> a"b
size_t read_quoted(std::string_view sql, size_t i, char quote, std::string& out) {
  for (size_t j = i + 1; j < sql.size(); ++j) {
    if (sql[j] != quote) { out += sql[j]; continue; }
    if (j + 1 < sql.size() && sql[j + 1] == quote) { out += quote; ++j; continue; }
    return j + 1;
  }
  throw select_error("LexerInvalidLiteral");
}

size_t read_number(std::string_view sql, size_t i, std::string& out) {
  size_t j = i;
  auto digits = [&] { while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j; };
  digits();
  if (j < sql.size() && sql[j] == '.') { ++j; digits(); }
  if (j < sql.size() && (sql[j] == 'e' || sql[j] == 'E')) {
    size_t k = j + 1;
    if (k < sql.size() && (sql[k] == '+' || sql[k] == '-')) ++k;
    if (k < sql.size() && std::isdigit(static_cast<unsigned char>(sql[k]))) { j = k; digits(); }
  }
  if (j < sql.size() && ident_start(sql[j])) {
    throw select_error("LexerInvalidLiteral");
  }
  out.assign(sql.substr(i, j - i));
  return j;
}

constexpr std::string_view kTwoCharOps[] = {"<=", ">=", "<>", "!=", "||"};
constexpr std::string_view kOneCharOps = ",.()[]*+-/%=<>;";

}  // namespace

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // -- comment to end of line
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    }
    Token& t = out.emplace_back();
    t.offset = i;
    if (ident_start(c)) {
      size_t j = i;
      while (j < sql.size() && ident_char(sql[j])) ++j;
      t.type = TokenType::Ident;
      t.text.assign(sql.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'') {
      t.type = c == '"' ? TokenType::QuotedIdent : TokenType::String;
      i = read_quoted(sql, i, c, t.text);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      t.type = TokenType::Number;
      i = read_number(sql, i, t.text);
    } else {
      t.type = TokenType::Op;
      size_t len = 0;
      for (auto op : kTwoCharOps) {
        if (sql.substr(i, 2) == op) len = 2;
      }
      if (len == 0 && kOneCharOps.find(c) != std::string_view::npos) len = 1;
      if (len == 0) throw select_error("LexerInvalidChar");
      t.text.assign(sql.data() + i, len);
      i += len;
    }
  }
  out.emplace_back().offset = sql.size();
  return out;
}

}  // namespace nimbus::s3select
