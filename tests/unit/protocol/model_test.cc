// Every embedded model loads, and the loader resolves named and inline shapes alike.
#include "protocol/model.h"

#include <gtest/gtest.h>

using namespace nimbus::protocol;

TEST(Model, EveryEmbeddedModelLoads) {
  auto services = embedded_services();
  ASSERT_EQ(services.size(), 26u);
  for (const auto& s : services) {
    auto m = embedded_model(s);
    ASSERT_TRUE(m) << s;
    EXPECT_FALSE(m->operations().empty()) << s;
    EXPECT_FALSE(m->metadata().protocol.empty()) << s;
  }
}

TEST(Model, InlineShapesCarryReferenceTraits) {
  auto s3 = embedded_model("s3");
  const Operation* put = s3->find_operation("PutObject");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->http_method, "PUT");
  EXPECT_EQ(put->request_uri, "/{Bucket}/{Key+}");
  const Member* acl = put->input.shape->find_member("ACL");
  ASSERT_NE(acl, nullptr);
  EXPECT_EQ(acl->ref.location, "header");
  EXPECT_EQ(acl->ref.location_name, "x-amz-acl");
  EXPECT_EQ(acl->ref.shape->type, ShapeType::String);
  EXPECT_TRUE(put->input.shape->is_required("Bucket"));
}

TEST(Model, PatchesApply) {
  auto cw = embedded_model("monitoring");
  ASSERT_EQ(cw->metadata().protocols.front(), "smithy-rpc-v2-cbor");
  EXPECT_TRUE(cw->metadata().aws_query_compatible);
}

TEST(Model, NamedShapes) {
  auto m = ServiceModel::load(R"({"metadata":{"protocol":"json"},
    "operations":{"Op":{"name":"Op","http":{"method":"POST","requestUri":"/"},
      "input":{"shape":"In"},"errors":[{"shape":"Bad"}]}},
    "shapes":{"In":{"type":"structure","required":["A"],"members":{"A":{"shape":"S"},
      "L":{"shape":"Ls"}}},"S":{"type":"string","min":1,"max":5,"enum":["x","y"]},
      "Ls":{"type":"list","member":{"shape":"S","locationName":"item"}},
      "Bad":{"type":"structure","members":{},"exception":true,
        "error":{"code":"Bad.Code","httpStatusCode":409,"senderFault":true}}}})");
  const Operation* op = m->find_operation("Op");
  ASSERT_NE(op, nullptr);
  const Shape* in = op->input.shape;
  EXPECT_EQ(in->find_member("A")->ref.shape->max, 5);
  EXPECT_EQ(in->find_member("A")->ref.shape->enum_values.size(), 2u);
  EXPECT_EQ(in->find_member("L")->ref.shape->member.location_name, "item");
  ASSERT_EQ(op->errors.size(), 1u);
  EXPECT_EQ(op->errors[0]->error_status, 409);
  EXPECT_EQ(m->find_error("Bad.Code"), op->errors[0]);
}

TEST(Model, OperationNamesAreCheckedWithoutParsing) {
  EXPECT_TRUE(embedded_model_has_operation("sqs", "SendMessage"));
  EXPECT_TRUE(embedded_model_has_operation("s3", "PutObject"));
  EXPECT_FALSE(embedded_model_has_operation("sqs", "SendMesage"));
  EXPECT_FALSE(embedded_model_has_operation("nosuch", "SendMessage"));
  // Every operation of a parsed model is in the list, and only those.
  auto m = embedded_model("ssm");
  for (const auto& [name, op] : m->operations()) EXPECT_TRUE(embedded_model_has_operation("ssm", name)) << name;
}
