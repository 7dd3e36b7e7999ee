// Conversions between decoded wire values (JSON or CBOR, both held as boost::json values)
// and document values, driven by the model's shapes; shared by the JSON-family codecs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/aws_error.h"
#include "core/document.h"
#include "core/http_message.h"
#include "protocol/json/cbor.h"
#include "protocol/model.h"

// Internal to the JSON-family codecs: a namespace of their own keeps these helpers from
// colliding with the XML family's (protocol::xml) or the router's.
namespace nimbus::protocol::jsonwire {

// The wire a body travels on. JSON carries timestamps as numbers or text and blobs as
// base64; CBOR carries tagged epoch numbers and raw byte strings, and ignores jsonName.
enum class Wire { Json, Cbor };

bool is_document_shape(const Shape& s);
bool is_integer_type(ShapeType t);
bool is_float_type(ShapeType t);

// The key a structure member has in a body: its locationName on JSON (botocore's form of
// Smithy's jsonName), else its member name.
std::string_view body_key(const Member& m, Wire wire);

// Wire -> document. nullopt for a null that the document leaves out. Throws
// SerializationException when the value does not fit the shape.
std::optional<Value> value_from_wire(const Value& v, const ShapeRef& ref, Wire wire);
// Members of s found in o; body_only skips members bound to a URI, header or query.
Document structure_from_wire(const boost::json::object& o, const Shape& s, Wire wire,
                             bool body_only);

// Document -> JSON wire value.
Value value_to_json(const Value& v, const ShapeRef& ref);
boost::json::object structure_to_json(const Document& d, const Shape& s, bool body_only);

// Document -> CBOR.
void write_cbor_value(CborWriter& w, const Value& v, const ShapeRef& ref);
size_t cbor_member_count(const Document& d, const Shape& s);
void write_cbor_members(CborWriter& w, const Document& d, const Shape& s);  // no map head
void write_cbor_generic(CborWriter& w, const Value& v);  // documents and unmodeled fields

// JSON text as AWS writes it: compact, doubles in shortest round-trip form ("1.5", not
// Boost.JSON's "1.5E0"), non-finite numbers as the strings "NaN"/"Infinity".
std::string json_text(const Value& v);
// Parses a request body; malformed JSON throws SerializationException (400), as AWS's
// JSON services answer.
Value parse_json_body(std::string_view body);
bool is_blank(std::string_view body);

// Timestamps. Formats are botocore's names: "iso8601", "rfc822", "unixTimestamp".
std::string timestamp_format_of(const ShapeRef& ref, std::string_view default_format);
std::string format_timestamp(double epoch, std::string_view format);
Value epoch_value(double epoch);                  // int64 when whole, else double
std::optional<double> number_of(const Value& v);  // numbers and "NaN"/"Infinity" strings

// Scalars in headers, query strings and URI labels.
std::optional<Value> scalar_from_text(std::string_view text, const ShapeRef& ref,
                                      std::string_view default_ts_format);
std::string scalar_to_text(const Value& v, const ShapeRef& ref, std::string_view default_ts_format);

// An AwsError taken apart along its model error shape (when the model declares it):
// modeled members in document form, extra fields the shape lacks, header-bound members.
struct ErrorParts {
  const Shape* shape = nullptr;
  std::string type;    // the shape name, else the AwsError code
  Document members;    // keyed by member name, body-bound members only
  Document unmodeled;  // wire-ready extra fields (message when the shape has none)
  std::vector<std::pair<std::string, std::string>> headers;
};
ErrorParts error_parts(const ServiceModel& model, const AwsError& error);
// "x-amzn-query-error" value for awsQueryCompatible services ("Code;Sender"), else "".
std::string query_error_header(const ServiceModel& model, const ErrorParts& parts,
                               const AwsError& error);
// Status, request id, AwsError headers and the query-compatible header shared by all three.
void begin_error_response(const ServiceModel& model, const ErrorParts& parts, const AwsError& error,
                          std::string_view request_id, HttpResponse& out);

}  // namespace nimbus::protocol::jsonwire
