// STS: the caller's identity as the signature proved it.
#include "services/sts/sts_service.h"

namespace nimbus::sts {
namespace {

class StsService : public Service {
 public:
  std::string_view name() const override { return "sts"; }
  std::map<std::string, Handler, std::less<>> operations() override {
    return {{"GetCallerIdentity", [](Call& c) { return get_caller_identity(c); }}};
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
};

}  // namespace

std::unique_ptr<Service> make_service() { return std::make_unique<StsService>(); }

}  // namespace nimbus::sts
