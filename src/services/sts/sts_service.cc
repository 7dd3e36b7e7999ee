// STS: the caller's identity as the signature proved it, temporary credentials (role_ops.cc),
// the account behind an access key, and the decoding of nimbus's authorization messages.
#include "services/sts/sts_service.h"

#include "services/sts/sessions.h"
#include "services/sts/sts_api.h"
#include "services/sts/sts_ops.h"
#include "services/sts/web_identity.h"
#include "store/database.h"

namespace nimbus::sts {
namespace {

class StsService : public Service {
 public:
  std::string_view name() const override { return "sts"; }
  std::map<std::string, Handler, std::less<>> operations() override {
    return {{"GetCallerIdentity", [](Call& c) { return get_caller_identity(c); }},
            {"AssumeRole", [](Call& c) { return assume_role(c); }},
            {"AssumeRoleWithWebIdentity", [](Call& c) { return assume_role_with_web_identity(c); }},
            {"GetSessionToken", [](Call& c) { return get_session_token(c); }},
            {"GetAccessKeyInfo", [](Call& c) { return get_access_key_info(c); }},
            {"DecodeAuthorizationMessage", [](Call& c) { return decode_message(c); }}};
  }

  void start(const Env& env) override {
    migrate(*env.db);
    if (env.credentials) env.credentials->add(make_session_credential_store(*env.db));
    load_trusted_issuers_from_env();
  }

 private:
  // An unsigned call never reaches here: STS refuses anonymous requests before dispatch.
  static Document get_caller_identity(Call& call) {
    Document out;
    out["UserId"] = call.caller.user_id;
    out["Account"] = call.caller.account;
    out["Arn"] = call.caller.arn;
    return out;
  }

  // Any AKIA/ASIA key: a key nimbus knows answers with its owner's account, others with the
  // account AWS encodes in the key id.
  static Document get_access_key_info(Call& call) {
    std::string key = call.in().string("AccessKeyId");
    if (call.env->credentials)
      if (auto cred = call.env->credentials->find(key)) return Document{{"Account", cred->identity.account}};
    if (auto account = account_of_key(key)) return Document{{"Account", *account}};
    throw AwsError("InvalidParameterValue", "The access key ID " + key + " is not valid.", 400);
  }

  static Document decode_message(Call& call) {
    auto decoded = decode_authorization_message(*call.env, call.in().string("EncodedMessage"));
    if (!decoded)
      throw AwsError("InvalidAuthorizationMessageException",
                     "The specified encoded authorization message is invalid.", 400);
    return Document{{"DecodedMessage", *decoded}};
  }
};

}  // namespace

std::unique_ptr<Service> make_service() { return std::make_unique<StsService>(); }

}  // namespace nimbus::sts
