// The messages of AWS's SELECT Object Content error table, by code
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#SelectObjectContentErrorCodeList).
#include "lang/s3select/errors.h"

#include <string>
#include <utility>

namespace nimbus::s3select {
namespace {

struct ErrorText {
  std::string_view code;
  std::string_view message;
};

constexpr ErrorText kErrors[] = {
    {"AmbiguousFieldName", "The field name matches to multiple fields in the file. Check the SQL expression and the file, and try again."},
    {"CastFailed", "An attempt to convert from one data type to another using CAST failed in the SQL expression."},
    {"ColumnTooLong", "The length of a column in the result is greater than maxCharsPerColumn of 1 MB."},
    {"CSVEscapingRecordDelimiter", "A quoted record delimiter was found in the file. To allow quoted record delimiters, set AllowQuotedRecordDelimiter to 'TRUE'."},
    {"CSVParsingError", "An error occurred while parsing the CSV file. Check the file and try again."},
    {"CSVUnescapedQuote", "An unescaped quote was found while parsing the CSV file. To allow quoted record delimiters, set AllowQuotedRecordDelimiter to 'TRUE'."},
    {"EmptyRequestBody", "The request body cannot be empty."},
    {"EvaluatorBindingDoesNotExist", "A column name or a path provided does not exist in the SQL expression."},
    {"EvaluatorInvalidArguments", "There is an incorrect number of arguments in the function call in the SQL expression."},
    {"EvaluatorInvalidTimestampFormatPattern", "The timestamp format string in the SQL expression is not valid."},
    {"EvaluatorInvalidTimestampFormatPatternSymbol", "The timestamp format pattern contains a symbol in the SQL expression that is not valid."},
    {"EvaluatorLikePatternInvalidEscapeSequence", "An argument given to the LIKE expression was not valid."},
    {"EvaluatorNegativeLimit", "LIMIT must not be negative."},
    {"EvaluatorUnterminatedTimestampFormatPatternToken", "The timestamp format pattern contains an unterminated token in the SQL expression."},
    {"ExpressionTooLong", "The SQL expression is too long. The maximum byte-length for an SQL expression is 256 KB."},
    {"ExternalEvalException", "The query cannot be evaluated. Check the file and try again."},
    {"IllegalSqlFunctionArgument", "An illegal argument was used in the SQL function."},
    {"IncorrectSqlFunctionArgumentType", "An incorrect argument type was specified in a function call in the SQL expression."},
    {"IntegerOverflow", "An integer overflow or underflow occurred in the SQL expression."},
    {"InternalError", "An internal error occurred."},
    {"InvalidCast", "An attempt to convert from one data type to another using CAST failed in the SQL expression."},
    {"InvalidColumnIndex", "The column index in the SQL expression is not valid."},
    {"InvalidCompressionFormat", "The file is not in a supported compression format. Only GZIP and BZIP2 are supported."},
    {"InvalidDataSource", "The data source type is not valid. Only CSV, JSON, and Parquet are supported."},
    {"InvalidDataType", "The SQL expression contains a data type that is not valid."},
    {"InvalidExpressionType", "The ExpressionType value is not valid. Only SQL expressions are supported."},
    {"InvalidFileHeaderInfo", "The FileHeaderInfo value is not valid. Only NONE, USE, and IGNORE are supported."},
    {"InvalidJsonType", "The JsonType value is not valid. Only DOCUMENT and LINES are supported."},
    {"InvalidKeyPath", "The key path in the SQL expression is not valid."},
    {"InvalidQuoteFields", "The QuoteFields value is not valid. Only ALWAYS and ASNEEDED are supported."},
    {"InvalidRequestParameter", "The value of a parameter in the SelectRequest element is not valid. Check the service API documentation and try again."},
    {"InvalidScanRange", "The provided scan range is not valid."},
    {"InvalidTableAlias", "The SQL expression contains a table alias that is not valid."},
    {"JSONParsingError", "An error occurred while parsing the JSON file. Check the file and try again."},
    {"LexerInvalidChar", "The SQL expression contains a character that is not valid."},
    {"LexerInvalidLiteral", "The SQL expression contains an operator that is not valid."},
    {"LexerInvalidOperator", "The SQL expression contains a literal that is not valid."},
    {"LikeInvalidInputs", "The argument given to the LIKE clause in the SQL expression is not valid."},
    {"MaxOperatorsExceeded", "Failed to parse SQL expression, try reducing complexity. For example, reduce number of operators used."},
    {"MissingHeaderName", "Some headers in the query are missing from the file. Check the file and try again."},
    {"MissingRequiredParameter", "The SelectRequest entity is missing a required parameter. Check the service documentation and try again."},
    {"NumberFormatError", "An error occurred while parsing a number. This error can be caused by underflow or overflow of integers."},
    {"ObjectSerializationConflict", "InputSerialization specifies more than one format (CSV, JSON, or Parquet), or OutputSerialization specifies more than one format (CSV or JSON). For InputSerialization and OutputSerialization, you can specify only one format for each."},
    {"OverMaxColumn", "The number of columns in the result is greater than the maximum allowable number of columns."},
    {"OverMaxRecordSize", "The length of a record in the input or result is greater than the maxCharsPerRecord limit of 1 MB."},
    {"ParseAsteriskIsNotAloneInSelectList", "Other expressions are not allowed in the SELECT list when * is used without dot notation in the SQL expression."},
    {"ParseCastArity", "The SQL expression CAST has incorrect arity."},
    {"ParseEmptySelect", "The SQL expression contains an empty SELECT clause."},
    {"ParseExpectedArgumentDelimiter", "The expected argument delimiter in the SQL expression was not found."},
    {"ParseExpectedDatePart", "The expected date part in the SQL expression was not found."},
    {"ParseExpectedExpression", "The expected SQL expression was not found."},
    {"ParseExpectedIdentForAlias", "The expected identifier for the alias in the SQL expression was not found."},
    {"ParseExpectedKeyword", "The expected keyword in the SQL expression was not found."},
    {"ParseExpectedLeftParenAfterCast", "The expected left parenthesis after CAST in the SQL expression was not found."},
    {"ParseExpectedLeftParenBuiltinFunctionCall", "The expected left parenthesis in the SQL expression was not found."},
    {"ParseExpectedNumber", "The expected number in the SQL expression was not found."},
    {"ParseExpectedRightParenBuiltinFunctionCall", "The expected right parenthesis character in the SQL expression was not found."},
    {"ParseExpectedTokenType", "The expected token in the SQL expression was not found."},
    {"ParseExpectedTypeName", "The expected type name in the SQL expression was not found."},
    {"ParseExpectedWhenClause", "The expected WHEN clause in the SQL expression was not found. CASE is not supported."},
    {"ParseCannotMixSqbAndWildcardInSelectList", "Cannot mix [] and * in the same expression in a SELECT list in the SQL expression."},
    {"ParseExpectedLeftParenValueConstructor", "The expected left parenthesis in the SQL expression was not found."},
    {"ParseInvalidContextForWildcardInSelectList", "The use of * in the SELECT list in the SQL expression is not valid."},
    {"ParseInvalidPathComponent", "The SQL expression contains a path component that is not valid."},
    {"ParseMalformedJoin", "JOIN is not supported in the SQL expression."},
    {"ParseNonUnaryAgregateFunctionCall", "Only one argument is supported for aggregate functions in the SQL expression."},
    {"ParseSelectMissingFrom", "The SQL expression contains a missing FROM after the SELECT list."},
    {"ParseUnExpectedKeyword", "The SQL expression contains an unexpected keyword."},
    {"ParseUnexpectedOperator", "The SQL expression contains an unexpected operator."},
    {"ParseUnexpectedTerm", "The SQL expression contains an unexpected term."},
    {"ParseUnexpectedToken", "The SQL expression contains an unexpected token."},
    {"ParseUnknownOperator", "The SQL expression contains an operator that is not valid."},
    {"ParseUnsupportedAlias", "The SQL expression contains an unsupported use of ALIAS."},
    {"ParseUnsupportedCallWithStar", "Only COUNT with (*) as a parameter is supported in the SQL expression."},
    {"ParseUnsupportedLiteralsGroupBy", "The SQL expression contains an unsupported use of GROUP BY."},
    {"ParseUnsupportedSelect", "The SQL expression contains an unsupported use of SELECT."},
    {"ParseUnsupportedSyntax", "The SQL expression contains unsupported syntax."},
    {"ParseUnsupportedToken", "The SQL expression contains an unsupported token."},
    {"TruncatedInput", "Object decompression failed. Check that the object is properly compressed using the format specified in the request."},
    {"UnsupportedFunction", "S3 encountered an unsupported SQL function."},
    {"UnsupportedScanRangeInput", "Scan range queries are not supported on this type of object."},
    {"UnsupportedSqlOperation", "S3 encountered an unsupported SQL operation."},
    {"UnsupportedSqlStructure", "S3 encountered an unsupported SQL structure. Check the SQL Reference."},
    {"UnsupportedSyntax", "The syntax is not valid."},
    {"ValueParseFailure", "A timestamp parse failure occurred in the SQL expression."},
};

}  // namespace

AwsError select_error(std::string_view code) {
  for (const auto& e : kErrors) {
    if (e.code == code) {
      return AwsError(std::string(code), std::string(e.message), code == "InternalError" ? 500 : 400);
    }
  }
  return AwsError(std::string(code), "The query cannot be evaluated.", 400);
}

AwsError select_error(std::string_view code, std::string_view detail) {
  AwsError e = select_error(code);
  if (!detail.empty()) e.message = std::string(detail);
  return e;
}

}  // namespace nimbus::s3select
