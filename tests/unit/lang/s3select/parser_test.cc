// The lexer and parser of S3 Select SQL: accepted forms and AWS's error codes.
#include <gtest/gtest.h>

#include "lang/s3select/ast.h"
#include "lang/s3select/errors.h"
#include "lang/s3select/lexer.h"

namespace nimbus::s3select {
namespace {

std::string error_of(const std::string& sql) {
  try {
    parse_query(sql);
  } catch (const AwsError& e) {
    EXPECT_EQ(e.status, 400) << sql;
    EXPECT_FALSE(e.message.empty());
    return e.code;
  }
  return "";
}

TEST(Lexer, TokensAndQuoting) {
  auto t = tokenize("SELECT s.\"Name\", 'it''s' FROM S3Object s WHERE x <> 1.5e3 -- note");
  ASSERT_EQ(t.size(), 14u);
  EXPECT_TRUE(t[0].is_keyword("SELECT"));
  EXPECT_EQ(t[3].type, TokenType::QuotedIdent);
  EXPECT_EQ(t[3].text, "Name");
  EXPECT_EQ(t[5].type, TokenType::String);
  EXPECT_EQ(t[5].text, "it's");
  EXPECT_TRUE(t[11].is_op("<>"));
  EXPECT_EQ(t[12].text, "1.5e3");
  EXPECT_EQ(t[13].type, TokenType::End);
}

TEST(Lexer, Errors) {
  EXPECT_EQ(error_of("SELECT # FROM S3Object"), "LexerInvalidChar");
  EXPECT_EQ(error_of("SELECT 'abc FROM S3Object"), "LexerInvalidLiteral");
  EXPECT_EQ(error_of("SELECT 12abc FROM S3Object"), "LexerInvalidLiteral");
  EXPECT_EQ(error_of("SELECT `2007T` FROM S3Object"), "LexerInvalidChar");
}

TEST(Parser, AcceptsTheDocumentedForms) {
  for (const char* sql : {
           "select * from s3object s",
           "SELECT * FROM S3Object",
           "SELECT s.* FROM S3Object s",
           "SELECT * FROM S3Object[*].Rules[*].id",
           "SELECT * FROM S3Object[*]['metadata']['.zattrs'] s",
           "SELECT s.location.city, s.arr[0], s.\"Name\" AS n FROM S3Object AS s WHERE s.a = 'x' LIMIT 5;",
           "SELECT _1, _2 FROM S3Object WHERE _3 LIKE 'a\\_%' ESCAPE '\\'",
           "SELECT COUNT(*), SUM(CAST(_1 AS INT)), AVG(s.x), MIN(s.x), MAX(s.x) FROM S3Object s",
           "SELECT TRIM(LEADING 'x' FROM s.a), TRIM(s.a), SUBSTRING(s.a FROM 2 FOR 3), SUBSTRING(s.a, 2) FROM S3Object s",
           "SELECT EXTRACT(YEAR FROM TO_TIMESTAMP(s.t)), DATE_ADD(day, 1, UTCNOW()), DATE_DIFF(hour, UTCNOW(), UTCNOW()) FROM S3Object s",
           "SELECT CASE WHEN s.a > 1 THEN 'big' ELSE 'small' END FROM S3Object s",
           "SELECT * FROM S3Object s WHERE s.a IS NOT MISSING AND s.b IS NULL OR NOT s.c BETWEEN 1 AND 2 AND s.d NOT IN (1, 2)",
       }) {
    EXPECT_EQ(error_of(sql), "") << sql;
  }
}

TEST(Parser, FromClauseAndAliases) {
  auto q = parse_query("SELECT * FROM S3Object");
  EXPECT_EQ(q->alias, "S3Object");  // FROM S3Object == FROM S3Object[*] AS S3Object
  EXPECT_TRUE(q->select_star);
  q = parse_query("SELECT price FROM S3Object[*].books[*].price");
  EXPECT_EQ(q->alias, "price");
  ASSERT_EQ(q->from_path.size(), 3u);
  q = parse_query("SELECT _1.price FROM S3Object[*].books[*]");
  EXPECT_EQ(q->alias, "_1");
  q = parse_query("select count(*) as cnt from s3object s limit 10");
  EXPECT_TRUE(q->has_aggregates);
  EXPECT_EQ(q->items[0].alias, "cnt");
  EXPECT_EQ(*q->limit, 10);
}

TEST(Parser, ErrorCodes) {
  EXPECT_EQ(error_of("SELECT"), "ParseEmptySelect");
  EXPECT_EQ(error_of("SELECT FROM S3Object"), "ParseEmptySelect");
  EXPECT_EQ(error_of("SELECT a"), "ParseSelectMissingFrom");
  EXPECT_EQ(error_of("UPDATE x"), "ParseUnsupportedSelect");
  EXPECT_EQ(error_of("SELECT *, a FROM S3Object"), "ParseAsteriskIsNotAloneInSelectList");
  EXPECT_EQ(error_of("SELECT a, * FROM S3Object"), "ParseAsteriskIsNotAloneInSelectList");
  EXPECT_EQ(error_of("SELECT a FROM S3Object s WHERE"), "ParseExpectedExpression");
  EXPECT_EQ(error_of("SELECT a FROM S3Object s extra tokens"), "ParseUnexpectedToken");
  EXPECT_EQ(error_of("SELECT a b c FROM S3Object"), "ParseSelectMissingFrom");
  EXPECT_EQ(error_of("SELECT SUM(*) FROM S3Object"), "ParseUnsupportedCallWithStar");
  EXPECT_EQ(error_of("SELECT COUNT(a, b) FROM S3Object"), "ParseNonUnaryAgregateFunctionCall");
  EXPECT_EQ(error_of("SELECT CAST(a) FROM S3Object"), "ParseCastArity");
  EXPECT_EQ(error_of("SELECT CAST(a AS BLOB) FROM S3Object"), "ParseExpectedTypeName");
  EXPECT_EQ(error_of("SELECT EXTRACT(WEEK FROM a) FROM S3Object"), "ParseExpectedDatePart");
  EXPECT_EQ(error_of("SELECT NOSUCH(a) FROM S3Object"), "UnsupportedFunction");
  EXPECT_EQ(error_of("SELECT LOWER(a, b) FROM S3Object"), "EvaluatorInvalidArguments");
  EXPECT_EQ(error_of("SELECT a FROM S3Object LIMIT -1"), "EvaluatorNegativeLimit");
  EXPECT_EQ(error_of("SELECT a FROM S3Object LIMIT x"), "ParseExpectedNumber");
  EXPECT_EQ(error_of("SELECT a FROM S3Object s JOIN t"), "ParseMalformedJoin");
  EXPECT_EQ(error_of("SELECT a FROM S3Object s GROUP BY a"), "ParseUnsupportedLiteralsGroupBy");
  EXPECT_EQ(error_of("SELECT a FROM S3Object.a"), "InvalidKeyPath");
  EXPECT_EQ(error_of("SELECT a FROM S3Object s WHERE COUNT(*) > 1"), "UnsupportedSqlStructure");
  EXPECT_EQ(error_of("SELECT s.cast FROM S3Object s"), "ParseInvalidPathComponent");
  EXPECT_EQ(error_of("SELECT a FROM S3Object s WHERE a IS 5"), "ParseExpectedKeyword");
  EXPECT_EQ(error_of("SELECT LOWER(a FROM S3Object"), "ParseExpectedArgumentDelimiter");
  EXPECT_EQ(error_of("SELECT CASE a END FROM S3Object"), "ParseExpectedWhenClause");
  EXPECT_EQ(error_of("SELECT a FROM S3Object WHERE a = )"), "ParseUnexpectedOperator");
  EXPECT_EQ(error_of(std::string(kMaxExpressionBytes + 1, ' ')), "ExpressionTooLong");
  std::string deep = "SELECT " + std::string(500, '(') + "1" + std::string(500, ')') + " FROM S3Object";
  EXPECT_EQ(error_of(deep), "MaxOperatorsExceeded");
}

TEST(Parser, CachesAstByText) {
  auto a = parse_query("SELECT * FROM S3Object s WHERE s.x = 1");
  auto b = parse_query("SELECT * FROM S3Object s WHERE s.x = 1");
  EXPECT_EQ(a.get(), b.get());
}

}  // namespace
}  // namespace nimbus::s3select
