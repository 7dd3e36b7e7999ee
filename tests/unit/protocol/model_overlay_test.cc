// The embedded models carry what the build overlays from botocore's full models: errors,
// error shapes, constraints and the query wire names of services that left query.
#include "protocol/model.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace nimbus::protocol;

namespace {
const Shape* error_named(const Operation& op, std::string_view name) {
  for (const Shape* e : op.errors)
    if (e->name == name) return e;
  return nullptr;
}
const Member& member(const ShapeRef& ref, std::string_view name) {
  const Member* m = ref.shape->find_member(name);
  EXPECT_NE(m, nullptr) << name;
  return *m;
}
}  // namespace

TEST(ModelOverlay, SqsReceiveMessageErrors) {
  auto sqs = embedded_model("sqs");
  const Operation* op = sqs->find_operation("ReceiveMessage");
  ASSERT_NE(op, nullptr);
  const Shape* missing = error_named(*op, "QueueDoesNotExist");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->error_code, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(missing->error_status, 400);
  EXPECT_TRUE(missing->sender_fault);
  EXPECT_TRUE(missing->exception);
  EXPECT_NE(error_named(*op, "OverLimit"), nullptr);
  EXPECT_EQ(sqs->find_error("AWS.SimpleQueueService.NonExistentQueue"), missing);
  EXPECT_EQ(sqs->find_error("QueueAlreadyExists")->name, "QueueNameExists");
  EXPECT_EQ(sqs->find_error("KMS.ThrottlingException")->name, "KmsThrottled");
}

TEST(ModelOverlay, SqsQueryWireNames) {
  auto sqs = embedded_model("sqs");
  const Operation* send = sqs->find_operation("SendMessage");
  ASSERT_NE(send, nullptr);
  const Member& attrs = member(send->input, "MessageAttributes");
  EXPECT_EQ(attrs.ref.query_wire_name, "MessageAttribute");
  EXPECT_TRUE(attrs.ref.location_name.empty()) << "awsJson would serialize under it";
  ASSERT_EQ(attrs.ref.shape->type, ShapeType::Map);
  EXPECT_TRUE(attrs.ref.shape->flattened);
  EXPECT_EQ(attrs.ref.shape->key.query_wire_name, "Name");
  EXPECT_EQ(attrs.ref.shape->value.query_wire_name, "Value");

  const Operation* receive = sqs->find_operation("ReceiveMessage");
  const Member& names = member(receive->input, "AttributeNames");
  EXPECT_TRUE(names.ref.shape->flattened);
  EXPECT_EQ(names.ref.shape->member.query_wire_name, "AttributeName");
  EXPECT_EQ(member(receive->input, "MessageAttributeNames").ref.shape->member.query_wire_name,
            "MessageAttributeName");
  EXPECT_EQ(receive->result_wrapper, "ReceiveMessageResult");
  const Member& messages = member(receive->output, "Messages");
  EXPECT_EQ(messages.ref.shape->member.query_wire_name, "Message");
  EXPECT_EQ(sqs->metadata().xml_namespace, "http://queue.amazonaws.com/doc/2012-11-05/");
  // An operation botocore's query model lacks keeps its aws-sdk form plus the patch.
  EXPECT_EQ(sqs->find_operation("ListMessageMoveTasks")->result_wrapper,
            "ListMessageMoveTasksResult");
}

TEST(ModelOverlay, SsmConstraints) {
  auto ssm = embedded_model("ssm");
  const Operation* op = ssm->find_operation("GetParameter");
  ASSERT_NE(op, nullptr);
  const Shape* name = member(op->input, "Name").ref.shape;
  ASSERT_TRUE(name->min && name->max);
  EXPECT_EQ(*name->min, 1);
  EXPECT_EQ(*name->max, 2048);
  EXPECT_NE(error_named(*op, "ParameterNotFound"), nullptr);
}

TEST(ModelOverlay, DynamoDbErrorShapes) {
  auto ddb = embedded_model("dynamodb");
  const Shape* rnf = ddb->find_shape("ResourceNotFoundException");
  ASSERT_NE(rnf, nullptr);
  EXPECT_TRUE(rnf->exception);
  EXPECT_EQ(ddb->find_error("ResourceNotFoundException"), rnf);
  const Operation* get = ddb->find_operation("GetItem");
  EXPECT_NE(error_named(*get, "ResourceNotFoundException"), nullptr);
  const Shape* table = member(ddb->find_operation("CreateTable")->input, "TableName").ref.shape;
  EXPECT_EQ(table->pattern, "[a-zA-Z0-9_.-]+");
  // Error shapes keep their structured members (TransactionCanceledException's reasons).
  const Shape* canceled = ddb->find_shape("TransactionCanceledException");
  ASSERT_NE(canceled, nullptr);
  EXPECT_NE(canceled->find_member("CancellationReasons"), nullptr);
}

TEST(ModelOverlay, LambdaRuntimeEnum) {
  auto lambda = embedded_model("lambda");
  const Operation* op = lambda->find_operation("CreateFunction");
  ASSERT_NE(op, nullptr);
  const auto& values = member(op->input, "Runtime").ref.shape->enum_values;
  EXPECT_NE(std::find(values.begin(), values.end(), "python3.9"), values.end());
  // Newer than Debian's botocore: brought up to date by models/patches/lambda.json.
  EXPECT_NE(std::find(values.begin(), values.end(), "python3.12"), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), "nodejs20.x"), values.end());
  const Shape* conflict = lambda->find_error("ResourceConflictException");
  ASSERT_NE(conflict, nullptr);
  EXPECT_EQ(conflict->error_status, 409);
}

TEST(ModelOverlay, QueryErrorCodesAndFaults) {
  auto iam = embedded_model("iam");
  const Shape* missing = iam->find_error("NoSuchEntity");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->error_status, 404);
  const Shape* failure = iam->find_error("ServiceFailure");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->error_status, 500);
}

TEST(ModelOverlay, OperationsOnlyInAwsSdkKept) {
  // The message move tasks are newer than Debian's botocore SQS model.
  auto sqs = embedded_model("sqs");
  EXPECT_NE(sqs->find_operation("StartMessageMoveTask"), nullptr);
  EXPECT_NE(sqs->find_operation("CancelMessageMoveTask"), nullptr);
}
