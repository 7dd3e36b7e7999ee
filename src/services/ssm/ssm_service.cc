// SSM's registration and what its handlers share: scope, output shapes and page tokens.
#include "services/ssm/ssm_service.h"

#include "core/crypto.h"
#include "services/ssm/secure_value.h"
#include "services/ssm/ssm_ops.h"
#include "store/database.h"

namespace nimbus::ssm {
namespace {

constexpr std::string_view kTokenPrefix = "nimbus-ssm:";

class SsmService : public Service {
 public:
  std::string_view name() const override { return "ssm"; }
  std::map<std::string, Handler, std::less<>> operations() override {
    return {
        {"PutParameter", put_parameter},
        {"GetParameter", get_parameter},
        {"GetParameters", get_parameters},
        {"GetParametersByPath", get_parameters_by_path},
        {"DescribeParameters", describe_parameters},
        {"GetParameterHistory", get_parameter_history},
        {"DeleteParameter", delete_parameter},
        {"DeleteParameters", delete_parameters},
        {"LabelParameterVersion", label_parameter_version},
        {"UnlabelParameterVersion", unlabel_parameter_version},
        {"AddTagsToResource", add_tags_to_resource},
        {"RemoveTagsFromResource", remove_tags_from_resource},
        {"ListTagsForResource", list_tags_for_resource},
    };
  }
  void start(const Env& env) override {
    db_ = env.db;
    migrate(*env.db);
  }
  void reset() override {
    if (db_) erase_everything(*db_);
  }

 private:
  store::Database* db_ = nullptr;
};

}  // namespace

Scope scope_of(const Call& call) { return Scope{call.account, call.region}; }

store::Database& db_of(const Call& call) { return *call.env->db; }

std::string visible_value(const Call& call, const ParameterVersion& p, bool decrypt) {
  if (p.type != "SecureString") return p.value;
  if (!decrypt) return base64_encode(p.value);
  return decrypt_value(call, parameter_arn(scope_of(call), p.name), p.value);
}

Document parameter_document(const Call& call, const ParameterVersion& p, bool decrypt,
                            const std::string& selector) {
  Document d;
  d["Name"] = p.name;
  d["Type"] = p.type;
  d["Value"] = visible_value(call, p, decrypt);
  d["Version"] = p.version;
  if (!selector.empty()) d["Selector"] = selector;
  d["LastModifiedDate"] = p.last_modified;
  d["ARN"] = parameter_arn(scope_of(call), p.name);
  d["DataType"] = p.data_type;
  return d;
}

Document metadata_document(const Call& call, const ParameterVersion& p) {
  Document d;
  d["Name"] = p.name;
  d["ARN"] = parameter_arn(scope_of(call), p.name);
  d["Type"] = p.type;
  if (p.type == "SecureString") d["KeyId"] = p.key_id;
  d["LastModifiedDate"] = p.last_modified;
  d["LastModifiedUser"] = p.last_modified_user;
  if (!p.description.empty()) d["Description"] = p.description;
  if (!p.allowed_pattern.empty()) d["AllowedPattern"] = p.allowed_pattern;
  d["Version"] = p.version;
  d["Tier"] = p.tier;
  d["Policies"] = Array();
  d["DataType"] = p.data_type;
  return d;
}

std::string encode_token(std::string_view position) {
  return base64_encode(std::string(kTokenPrefix) + std::string(position));
}

std::string decode_token(const std::optional<std::string>& token) {
  if (!token) return "";
  std::string raw;
  if (!base64_decode(*token, raw) || raw.rfind(kTokenPrefix, 0) != 0)
    throw AwsError("InvalidNextToken", "The specified token isn't valid.");
  return raw.substr(kTokenPrefix.size());
}

std::unique_ptr<Service> make_service() { return std::make_unique<SsmService>(); }

}  // namespace nimbus::ssm
