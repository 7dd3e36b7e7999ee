// A KMS service on a private database for unit tests: calls operations by name with
// documents, as the pipeline would after parsing and validation.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/aws_error.h"
#include "core/config.h"
#include "services/kms/kms_service.h"
#include "store/database.h"

namespace nimbus::kms::testing {

inline constexpr const char* kAccount = "000000000000";
inline constexpr const char* kRegion = "us-east-1";

class KmsFixture : public ::testing::Test {
 protected:
  void SetUp() override { open(Database_in_memory()); }
  void TearDown() override {
    if (service_) service_->stop();
  }

  static std::unique_ptr<store::Database> Database_in_memory() { return store::Database::open_in_memory(); }

  void open(std::unique_ptr<store::Database> db, const std::string& data_dir = "") {
    if (service_) service_->stop();
    db_ = std::move(db);
    config_.in_memory = data_dir.empty();
    config_.data_dir = data_dir;
    env_.config = &config_;
    env_.db = db_.get();
    service_ = make_service();
    service_->start(env_);
    ops_ = service_->operations();
  }

  Document call(const std::string& op, Document input) {
    Call c;
    c.service = "kms";
    c.operation = op;
    c.account = kAccount;
    c.region = kRegion;
    c.input = std::move(input);
    c.env = &env_;
    auto it = ops_.find(op);
    if (it == ops_.end()) throw std::runtime_error("no operation " + op);
    return it->second(c);
  }

  // The code of the AwsError `op` throws, or "" when it succeeds.
  std::string error_of(const std::string& op, Document input) {
    try {
      call(op, std::move(input));
    } catch (const AwsError& e) {
      last_message_ = e.message;
      return e.code;
    }
    return "";
  }

  std::string create_key(Document input = {}) {
    return std::string(call("CreateKey", std::move(input)).at("KeyMetadata").at("KeyId").as_string());
  }

  Config config_;
  Env env_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Service> service_;
  std::map<std::string, Handler, std::less<>> ops_;
  std::string last_message_;
};

inline std::string str(const Value& v) { return std::string(v.as_string()); }

}  // namespace nimbus::kms::testing
