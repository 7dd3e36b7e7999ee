// The evaluator: every operator and function, with NULL and MISSING semantics, checked
// through whole queries over one JSON record.
#include "select_test_util.h"

namespace nimbus::s3select::testing {
namespace {

const char* kRecord =
    R"({"a":"Hello","n":5,"f":2.5,"t":"2021-03-04T05:06:07Z","nul":null,"arr":[1,2,{"x":"y"}],)"
    R"("o":{"k":"v"},"b":true,"s":" pad  ","Name":"upper","u":"héllo"})";

// The value of `expr` for kRecord, as the JSON output shows it ("" when MISSING).
std::string eval(const std::string& expr) {
  Result r = run(json_request("SELECT " + expr + " AS v FROM S3Object s"), kRecord);
  EXPECT_EQ(r.error_code, "") << expr;
  std::string rec = r.records;
  if (rec == "{}\n") return "";
  EXPECT_EQ(rec.rfind("{\"v\":", 0), 0u) << expr << " -> " << rec;
  return rec.substr(5, rec.size() - 7);
}

std::string eval_error(const std::string& expr) {
  try {
    Result r = run(json_request("SELECT " + expr + " AS v FROM S3Object s"), kRecord);
    return r.error_code;
  } catch (const AwsError& e) {
    return e.code;
  }
}

bool where(const std::string& cond) {
  Result r = run(json_request("SELECT s.n FROM S3Object s WHERE " + cond), kRecord);
  EXPECT_EQ(r.error_code, "") << cond;
  return !r.records.empty();
}

TEST(Eval, PathsAndIndexes) {
  EXPECT_EQ(eval("s.a"), "\"Hello\"");
  EXPECT_EQ(eval("a"), "\"Hello\"");          // without the alias
  EXPECT_EQ(eval("s.A"), "\"Hello\"");        // bare names ignore case
  EXPECT_EQ(eval("s.\"A\""), "");             // quoted names do not: MISSING
  EXPECT_EQ(eval("s.\"Name\""), "\"upper\"");
  EXPECT_EQ(eval("s.arr[1]"), "2");
  EXPECT_EQ(eval("s.arr[2].x"), "\"y\"");
  EXPECT_EQ(eval("s.arr[9]"), "");
  EXPECT_EQ(eval("s.o"), "{\"k\":\"v\"}");
  EXPECT_EQ(eval("s.o['k']"), "\"v\"");
  EXPECT_EQ(eval("s.nope"), "");
  EXPECT_EQ(eval("s.nul"), "null");
}

TEST(Eval, Arithmetic) {
  EXPECT_EQ(eval("s.n + 2"), "7");
  EXPECT_EQ(eval("s.n - 7"), "-2");
  EXPECT_EQ(eval("s.n * s.f"), "12.5");
  EXPECT_EQ(eval("s.n / 2"), "2");  // integer division
  EXPECT_EQ(eval("s.n % 3"), "2");
  EXPECT_EQ(eval("-s.n"), "-5");
  EXPECT_EQ(eval("(1 + 2) * 3"), "9");
  EXPECT_EQ(eval("1 + 2 * 3"), "7");
  EXPECT_EQ(eval("s.f * 2"), "5.0");
  EXPECT_EQ(eval("s.nul + 1"), "null");
  EXPECT_EQ(eval("s.nope + 1"), "");
  EXPECT_EQ(eval("'3' + 4"), "7");  // CSV-style text numbers
  EXPECT_EQ(eval_error("9223372036854775807 + 1"), "IntegerOverflow");
  EXPECT_EQ(eval_error("s.a + 1"), "IncorrectSqlFunctionArgumentType");
}

TEST(Eval, ComparisonsAndLogic) {
  EXPECT_TRUE(where("s.n = 5"));
  EXPECT_TRUE(where("s.n <> 4"));
  EXPECT_TRUE(where("s.n != 4"));
  EXPECT_TRUE(where("s.n > 4.5 AND s.n >= 5 AND s.n < 6 AND s.n <= 5"));
  EXPECT_TRUE(where("s.a = 'Hello'"));
  EXPECT_FALSE(where("s.a = 'hello'"));
  EXPECT_TRUE(where("s.a < 'World'"));
  EXPECT_TRUE(where("s.b = true"));
  EXPECT_TRUE(where("s.n = '5'"));
  EXPECT_FALSE(where("s.a = 5"));
  EXPECT_TRUE(where("s.n = 4 OR s.n = 5"));
  EXPECT_TRUE(where("NOT s.n = 4"));
  EXPECT_FALSE(where("s.nul = 1"));
  EXPECT_FALSE(where("NOT s.nul = 1"));  // NOT UNKNOWN is UNKNOWN
  EXPECT_TRUE(where("s.nul = 1 OR true"));
  EXPECT_FALSE(where("s.nul = 1 AND true"));
  EXPECT_FALSE(where("s.nope = 1"));
  EXPECT_EQ(eval("s.nul = 1"), "null");
  EXPECT_EQ(eval("s.nope = 1"), "");
  EXPECT_EQ(eval("false AND s.nul = 1"), "false");
}

TEST(Eval, NullAndMissing) {
  EXPECT_TRUE(where("s.nul IS NULL"));
  EXPECT_TRUE(where("s.nope IS NULL"));  // MISSING IS NULL is true in PartiQL
  EXPECT_TRUE(where("s.nope IS MISSING"));
  EXPECT_FALSE(where("s.nul IS MISSING"));
  EXPECT_TRUE(where("s.n IS NOT NULL"));
  EXPECT_TRUE(where("s.n IS NOT MISSING"));
  EXPECT_EQ(eval("COALESCE(s.nope, s.nul, s.n)"), "5");
  EXPECT_EQ(eval("COALESCE(s.nope, s.nul)"), "null");
  EXPECT_EQ(eval("NULLIF(s.n, 5)"), "null");
  EXPECT_EQ(eval("NULLIF(s.n, 6)"), "5");
}

TEST(Eval, LikeBetweenIn) {
  EXPECT_TRUE(where("s.a LIKE 'He%'"));
  EXPECT_TRUE(where("s.a LIKE '_ello'"));
  EXPECT_TRUE(where("s.a LIKE '%l%o'"));
  EXPECT_FALSE(where("s.a LIKE 'he%'"));
  EXPECT_TRUE(where("s.a NOT LIKE 'x%'"));
  EXPECT_TRUE(where("s.u LIKE 'h_llo'"));  // _ is one character, not one byte
  EXPECT_TRUE(where("'50%' LIKE '50!%' ESCAPE '!'"));
  EXPECT_FALSE(where("'50x' LIKE '50!%' ESCAPE '!'"));
  EXPECT_TRUE(where("'a_b' LIKE 'a\\_b' ESCAPE '\\'"));
  EXPECT_EQ(eval_error("'a' LIKE 'a!' ESCAPE '!'"), "EvaluatorLikePatternInvalidEscapeSequence");
  EXPECT_EQ(eval_error("'a' LIKE 'a!b' ESCAPE '!'"), "EvaluatorLikePatternInvalidEscapeSequence");
  EXPECT_TRUE(where("s.n BETWEEN 1 AND 5"));
  EXPECT_FALSE(where("s.n BETWEEN 6 AND 9"));
  EXPECT_TRUE(where("s.n NOT BETWEEN 6 AND 9"));
  EXPECT_TRUE(where("s.a BETWEEN 'A' AND 'Z'"));
  EXPECT_TRUE(where("s.n IN (1, 5, 9)"));
  EXPECT_FALSE(where("s.n IN (1, 2)"));
  EXPECT_TRUE(where("s.n NOT IN (1, 2)"));
  EXPECT_TRUE(where("s.a IN ('x', 'Hello')"));
  EXPECT_EQ(eval("s.n IN (1, NULL)"), "null");
}

TEST(Eval, StringFunctions) {
  EXPECT_EQ(eval("LOWER(s.a)"), "\"hello\"");
  EXPECT_EQ(eval("UPPER(s.a)"), "\"HELLO\"");
  EXPECT_EQ(eval("CHAR_LENGTH(s.a)"), "5");
  EXPECT_EQ(eval("CHARACTER_LENGTH(s.u)"), "5");
  EXPECT_EQ(eval("TRIM(s.s)"), "\"pad\"");
  EXPECT_EQ(eval("TRIM(LEADING FROM s.s)"), "\"pad  \"");
  EXPECT_EQ(eval("TRIM(TRAILING FROM s.s)"), "\" pad\"");
  EXPECT_EQ(eval("TRIM(BOTH 'xy' FROM 'xxabcyy')"), "\"abc\"");
  EXPECT_EQ(eval("TRIM('x' FROM 'xxaxx')"), "\"a\"");
  EXPECT_EQ(eval("SUBSTRING('123456789', 0)"), "\"123456789\"");
  EXPECT_EQ(eval("SUBSTRING('123456789', 1)"), "\"123456789\"");
  EXPECT_EQ(eval("SUBSTRING('123456789', 2)"), "\"23456789\"");
  EXPECT_EQ(eval("SUBSTRING('123456789', -4)"), "\"123456789\"");
  EXPECT_EQ(eval("SUBSTRING('123456789', 0, 999)"), "\"123456789\"");
  EXPECT_EQ(eval("SUBSTRING('123456789', 1, 5)"), "\"12345\"");
  EXPECT_EQ(eval("SUBSTRING('123456789' FROM 0 FOR 3)"), "\"12\"");
  EXPECT_EQ(eval("SUBSTRING(s.u, 2, 1)"), "\"é\"");
  EXPECT_EQ(eval("s.a || ' ' || 'World'"), "\"Hello World\"");
  EXPECT_EQ(eval("LOWER(s.nul)"), "null");
  EXPECT_EQ(eval("LOWER(s.nope)"), "");
  EXPECT_EQ(eval_error("LOWER(s.n)"), "IncorrectSqlFunctionArgumentType");
}

TEST(Eval, Cast) {
  EXPECT_EQ(eval("CAST('12' AS INT)"), "12");
  EXPECT_EQ(eval("CAST('12.7' AS INTEGER)"), "12");
  EXPECT_EQ(eval("CAST(s.f AS INT)"), "2");
  EXPECT_EQ(eval("CAST('1.5' AS FLOAT)"), "1.5");
  EXPECT_EQ(eval("CAST(3 AS FLOAT)"), "3.0");
  EXPECT_EQ(eval("CAST(s.n AS STRING)"), "\"5\"");
  EXPECT_EQ(eval("CAST(s.o AS STRING)"), "\"{\\\"k\\\":\\\"v\\\"}\"");
  EXPECT_EQ(eval("CAST('TRUE' AS BOOL)"), "true");
  EXPECT_EQ(eval("CAST(0 AS BOOLEAN)"), "false");
  EXPECT_EQ(eval("CAST('2007-02-23T12:14:33.079-08:00' AS TIMESTAMP)"), "\"2007-02-23T12:14:33.079-08:00\"");
  EXPECT_EQ(eval("CAST(s.nul AS INT)"), "null");
  EXPECT_EQ(eval_error("CAST('abc' AS INT)"), "CastFailed");
  EXPECT_EQ(eval_error("CAST('x' AS TIMESTAMP)"), "CastFailed");
}

TEST(Eval, CaseExpression) {
  EXPECT_EQ(eval("CASE WHEN s.n > 3 THEN 'big' ELSE 'small' END"), "\"big\"");
  EXPECT_EQ(eval("CASE s.n WHEN 1 THEN 'one' WHEN 5 THEN 'five' END"), "\"five\"");
  EXPECT_EQ(eval("CASE s.n WHEN 1 THEN 'one' END"), "null");
}

TEST(Eval, DateFunctions) {
  // Examples from s3-select-sql-reference-date.html.
  EXPECT_EQ(eval("TO_TIMESTAMP('2007T')"), "\"2007T\"");
  EXPECT_EQ(eval("TO_TIMESTAMP('2007-02-23T12:14:33.079-08:00')"), "\"2007-02-23T12:14:33.079-08:00\"");
  EXPECT_EQ(eval("DATE_ADD(year, 5, TO_TIMESTAMP('2010-01-01T'))"), "\"2015-01-01T\"");
  EXPECT_EQ(eval("DATE_ADD(month, 1, TO_TIMESTAMP('2010T'))"), "\"2010-02T\"");
  EXPECT_EQ(eval("DATE_ADD(month, 13, TO_TIMESTAMP('2010T'))"), "\"2011-02T\"");
  EXPECT_EQ(eval("DATE_ADD(day, -1, TO_TIMESTAMP('2017-01-10T'))"), "\"2017-01-09T\"");
  EXPECT_EQ(eval("DATE_ADD(hour, 1, TO_TIMESTAMP('2017T'))"), "\"2017-01-01T01:00-00:00\"");
  EXPECT_EQ(eval("DATE_ADD(hour, 1, TO_TIMESTAMP('2017-01-02T03:04Z'))"), "\"2017-01-02T04:04Z\"");
  EXPECT_EQ(eval("DATE_ADD(minute, 1, TO_TIMESTAMP('2017-01-02T03:04:05.006Z'))"), "\"2017-01-02T03:05:05.006Z\"");
  EXPECT_EQ(eval("DATE_ADD(second, 1, TO_TIMESTAMP('2017-01-02T03:04:05.006Z'))"), "\"2017-01-02T03:04:06.006Z\"");
  EXPECT_EQ(eval("DATE_DIFF(year, TO_TIMESTAMP('2010-01-01T'), TO_TIMESTAMP('2011-01-01T'))"), "1");
  EXPECT_EQ(eval("DATE_DIFF(month, TO_TIMESTAMP('2010T'), TO_TIMESTAMP('2011T'))"), "12");
  EXPECT_EQ(eval("DATE_DIFF(month, TO_TIMESTAMP('2011T'), TO_TIMESTAMP('2010T'))"), "-12");
  EXPECT_EQ(eval("DATE_DIFF(day, TO_TIMESTAMP('2010-01-01T23:00Z'), TO_TIMESTAMP('2010-01-02T01:00Z'))"), "0");
  EXPECT_EQ(eval("EXTRACT(YEAR FROM TO_TIMESTAMP('2010-01-01T'))"), "2010");
  EXPECT_EQ(eval("EXTRACT(MONTH FROM TO_TIMESTAMP('2010-01-01T'))"), "1");
  EXPECT_EQ(eval("EXTRACT(HOUR FROM TO_TIMESTAMP(s.t))"), "5");
  EXPECT_EQ(eval("EXTRACT(SECOND FROM TO_TIMESTAMP(s.t))"), "7");
  EXPECT_EQ(eval("EXTRACT(TIMEZONE_HOUR FROM TO_TIMESTAMP('2017-01-01T13:14-08:00'))"), "-8");
  EXPECT_EQ(eval("EXTRACT(TIMEZONE_MINUTE FROM TO_TIMESTAMP('2017-01-01T13:14-08:30'))"), "-30");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18Z'), 'MMMM d, y')"), "\"July 20, 1969\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18Z'), 'MMM d, yyyy')"), "\"Jul 20, 1969\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18Z'), 'M-d-yy')"), "\"7-20-69\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18Z'), 'MM-d-y')"), "\"07-20-1969\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18Z'), 'MMMM d, y h:m a')"), "\"July 20, 1969 8:18 PM\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18Z'), 'y-MM-dd''T''H:m:ssX')"), "\"1969-07-20T20:18:00Z\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18+08:00'), 'y-MM-dd''T''H:m:ssX')"), "\"1969-07-20T20:18:00+08\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18+08:00'), 'y-MM-dd''T''H:m:ssXXXX')"), "\"1969-07-20T20:18:00+0800\"");
  EXPECT_EQ(eval("TO_STRING(TO_TIMESTAMP('1969-07-20T20:18+08:00'), 'y-MM-dd''T''H:m:ssXXXXX')"), "\"1969-07-20T20:18:00+08:00\"");
  EXPECT_EQ(eval_error("TO_STRING(TO_TIMESTAMP('2010T'), 'yyyy Q')"), "EvaluatorInvalidTimestampFormatPatternSymbol");
  EXPECT_EQ(eval_error("TO_STRING(TO_TIMESTAMP('2010T'), 'yyyy ''x')"), "EvaluatorUnterminatedTimestampFormatPatternToken");
  EXPECT_EQ(eval_error("TO_TIMESTAMP('not a date')"), "ValueParseFailure");
  std::string now = eval("UTCNOW()");
  EXPECT_EQ(now.size(), 26u) << now;  // "2026-01-01T00:00:00.000Z" quoted
  EXPECT_TRUE(where("UTCNOW() > TO_TIMESTAMP('2020T')"));
  EXPECT_TRUE(where("TO_TIMESTAMP(s.t) < TO_TIMESTAMP('2022T')"));
}

}  // namespace
}  // namespace nimbus::s3select::testing
