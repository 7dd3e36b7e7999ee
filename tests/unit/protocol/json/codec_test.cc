// Behaviours of the JSON-family codecs that the botocore vectors do not pin: error
// headers of query-compatible services, request ids, malformed bodies, number text,
// streaming payloads left to handlers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "protocol/json/cbor.h"
#include "protocol/json/json_codecs.h"

using namespace nimbus;
using namespace nimbus::protocol;
using namespace nimbus::protocol::jsonwire;

namespace {

std::shared_ptr<ServiceModel> sqs_like(std::string_view protocol) {
  std::string text =
      R"({"metadata":{"protocol":")" + std::string(protocol) + R"(","jsonVersion":"1.0",
     "targetPrefix":"AmazonSQS","awsQueryCompatible":{}},
   "operations":{"GetQueueUrl":{"name":"GetQueueUrl","http":{"method":"POST","requestUri":"/"},
     "input":{"shape":"In"},"output":{"shape":"Out"},"errors":[{"shape":"QueueDoesNotExist"}]}},
   "shapes":{
     "In":{"type":"structure","members":{"QueueName":{"shape":"S"},"Data":{"shape":"B"},
           "When":{"shape":"T"},"Ratio":{"shape":"F"}}},
     "Out":{"type":"structure","members":{"QueueUrl":{"shape":"S"},"Data":{"shape":"B"},
           "When":{"shape":"T"},"Ratio":{"shape":"F"},"Count":{"shape":"I"}}},
     "QueueDoesNotExist":{"type":"structure","members":{"message":{"shape":"S"}},"exception":true,
       "error":{"code":"AWS.SimpleQueueService.NonExistentQueue","httpStatusCode":400,"senderFault":true}},
     "S":{"type":"string"},"B":{"type":"blob"},"T":{"type":"timestamp"},"F":{"type":"double"},
     "I":{"type":"integer"}}})";
  return ServiceModel::load(text);
}

HttpRequest request(std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = r.path = "/";
  r.body.data = std::move(body);
  r.body.size = r.body.data.size();
  return r;
}

AwsError catch_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const AwsError& e) {
    return e;
  }
  return AwsError("none", "no error thrown", 0);
}

}  // namespace

TEST(JsonCodec, QueryCompatibleErrorsCarryTheQueryCode) {
  auto m = sqs_like("json");
  HttpResponse out;
  out.headers.set("x-amzn-RequestId", "rid-1");
  json_codec().serialize_error(*m, m->find_operation("GetQueueUrl"),
                               AwsError("QueueDoesNotExist", "The specified queue does not exist."),
                               "rid-1", out);
  EXPECT_EQ(out.status, 400);
  EXPECT_EQ(out.headers.value("x-amzn-query-error"),
            "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_EQ(out.headers.value("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(out.headers.all("x-amzn-RequestId").size(), 1u);
  auto body = boost::json::parse(out.body).as_object();
  EXPECT_EQ(body.at("__type"), "QueueDoesNotExist");
  EXPECT_EQ(body.at("message"), "The specified queue does not exist.");
}

TEST(JsonCodec, UnmodeledErrorsUseTheirCodeAndFault) {
  auto m = sqs_like("json");
  HttpResponse out;
  json_codec().serialize_error(*m, nullptr, AwsError("InternalFailure", "boom", 500), "rid-2", out);
  EXPECT_EQ(out.status, 500);
  EXPECT_EQ(out.headers.value("x-amzn-RequestId"), "rid-2");
  EXPECT_EQ(out.headers.value("x-amzn-query-error"), "InternalFailure;Receiver");
  EXPECT_EQ(out.body, R"({"__type":"InternalFailure","message":"boom"})");
}

TEST(JsonCodec, MalformedBodiesAreSerializationExceptions) {
  auto m = sqs_like("json");
  const Operation* op = m->find_operation("GetQueueUrl");
  for (const char* bad : {"{\"QueueName\":", "[1]", "{\"QueueName\": 5}", "{\"Data\": \"!!\"}"}) {
    AwsError e = catch_error([&] { json_codec().parse_request(*m, *op, request(bad)); });
    EXPECT_EQ(e.code, "SerializationException") << bad;
    EXPECT_EQ(e.status, 400) << bad;
  }
  EXPECT_TRUE(json_codec().parse_request(*m, *op, request("")).empty());
}

TEST(JsonCodec, NumbersAndBlobsOnTheWire) {
  auto m = sqs_like("json");
  Document out_doc{{"QueueUrl", "u"},
                   {"Data", "hi!"},
                   {"When", 946845296.123},
                   {"Ratio", std::nan("")},
                   {"Count", 3}};
  HttpResponse out;
  json_codec().serialize_response(*m, *m->find_operation("GetQueueUrl"), out_doc, out);
  EXPECT_EQ(out.body,
            R"({"QueueUrl":"u","Data":"aGkh","When":946845296.123,"Ratio":"NaN","Count":3})");
  out_doc["Ratio"] = 1.5;
  json_codec().serialize_response(*m, *m->find_operation("GetQueueUrl"), out_doc, out);
  EXPECT_NE(out.body.find(R"("Ratio":1.5,)"), std::string::npos) << out.body;
}

TEST(CborCodec, ResponsesAndErrorsAreCborMaps) {
  auto m = sqs_like("smithy-rpc-v2-cbor");
  const Operation* op = m->find_operation("GetQueueUrl");
  HttpResponse out;
  cbor_codec().serialize_response(*m, *op, Document{{"Data", "raw"}, {"When", 10}}, out);
  EXPECT_EQ(out.headers.value("smithy-protocol"), "rpc-v2-cbor");
  EXPECT_EQ(out.headers.value("Content-Type"), "application/cbor");
  auto v = cbor_decode(out.body).as_object();
  EXPECT_EQ(v.at("Data"), "raw");
  EXPECT_EQ(v.at("When"), 10);
  EXPECT_EQ(uint8_t(out.body[out.body.size() - 2]), 0xc1);  // tag 1 before the small integer

  HttpResponse err;
  cbor_codec().serialize_error(*m, op, AwsError("QueueDoesNotExist", "gone"), "rid", err);
  auto e = cbor_decode(err.body).as_object();
  EXPECT_EQ(e.at("__type"), "QueueDoesNotExist");
  EXPECT_EQ(e.at("message"), "gone");
  EXPECT_EQ(err.headers.value("x-amzn-query-error"),
            "AWS.SimpleQueueService.NonExistentQueue;Sender");

  auto parsed =
      cbor_codec().parse_request(*m, *op, request(std::string("\xa1\x69QueueName\x61q", 13)));
  EXPECT_EQ(parsed.at("QueueName"), "q");
  EXPECT_EQ(catch_error([&] { cbor_codec().parse_request(*m, *op, request("\x01")); }).code,
            "SerializationException");
}

namespace {
std::shared_ptr<ServiceModel> lambda_like() {
  return ServiceModel::load(R"({"metadata":{"protocol":"rest-json"},
   "operations":{
     "Get":{"name":"Get","http":{"method":"GET","requestUri":"/2015-03-31/functions/{Name}/code"},
       "input":{"shape":"GetIn"},"output":{"shape":"GetOut"}},
     "Delete":{"name":"Delete","http":{"method":"DELETE","requestUri":"/f/{Name}","responseCode":204},
       "input":{"shape":"GetIn"}}},
   "shapes":{
     "GetIn":{"type":"structure","required":["Name"],"members":{
       "Name":{"shape":"S","location":"uri","locationName":"Name"},
       "Attrs":{"shape":"S","location":"header","locationName":"X-Attrs","jsonvalue":true},
       "Body":{"shape":"Stream"}},"payload":"Body"},
     "GetOut":{"type":"structure","members":{
       "Type":{"shape":"S","location":"header","locationName":"X-Type"},
       "Body":{"shape":"Stream"}},"payload":"Body"},
     "ResourceNotFoundException":{"type":"structure","exception":true,
       "error":{"httpStatusCode":404},"members":{"Type":{"shape":"S"},"Message":{"shape":"S"}}},
     "S":{"type":"string"},"Stream":{"type":"blob","streaming":true}}})");
}
}  // namespace

TEST(RestJsonCodec, StreamingPayloadsStayWithTheHandler) {
  auto m = lambda_like();
  HttpRequest req = request("a large upload");
  req.method = "GET";
  req.target = req.path = "/2015-03-31/functions/my%2Dfn/code";
  req.headers.add("X-Attrs", "eyJGb28iOiJCYXIifQ==");  // {"Foo":"Bar"}
  Document in = rest_json_codec().parse_request(*m, *m->find_operation("Get"), req);
  EXPECT_EQ(in.at("Name"), "my-fn");
  EXPECT_EQ(in.at("Attrs").at("Foo"), "Bar");
  EXPECT_FALSE(in.contains("Body"));

  HttpResponse out;
  out.body = "bytes the handler streams";
  rest_json_codec().serialize_response(*m, *m->find_operation("Get"), Document{{"Type", "zip"}},
                                       out);
  EXPECT_EQ(out.body, "bytes the handler streams");
  EXPECT_EQ(out.headers.value("X-Type"), "zip");
}

TEST(RestJsonCodec, NoContentAnswersHaveNoBody) {
  auto m = lambda_like();
  HttpResponse out;
  rest_json_codec().serialize_response(*m, *m->find_operation("Delete"), Document{}, out);
  EXPECT_EQ(out.status, 204);
  EXPECT_TRUE(out.body.empty());
}

TEST(RestJsonCodec, ErrorsNameTheTypeInAHeader) {
  auto m = lambda_like();
  HttpResponse out;
  AwsError e("ResourceNotFoundException", "Function not found: x", 404);
  e.with("Type", "User");
  rest_json_codec().serialize_error(*m, nullptr, e, "rid", out);
  EXPECT_EQ(out.status, 404);
  EXPECT_EQ(out.headers.value("x-amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(out.headers.value("Content-Type"), "application/json");
  auto body = boost::json::parse(out.body).as_object();
  EXPECT_EQ(body.at("Message"), "Function not found: x");
  EXPECT_EQ(body.at("Type"), "User");
  EXPECT_FALSE(m->metadata().aws_query_compatible);
  EXPECT_FALSE(out.headers.has("x-amzn-query-error"));
}
