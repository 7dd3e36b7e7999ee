// KMS's registration: the operations table, schema migration, the master key at start, and
// deletion of keys whose DeletionDate nimbus's clock has passed (checked before each call and
// after each clock advance).
#include "services/kms/kms_service.h"

#include "core/clock.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/master_key.h"
#include "store/database.h"

namespace nimbus::kms {
namespace {

using Op = Document (*)(Call&);

class KmsService : public Service {
 public:
  ~KmsService() override { KmsService::stop(); }

  std::string_view name() const override { return "kms"; }

  std::map<std::string, Handler, std::less<>> operations() override {
    static const std::pair<const char*, Op> kOps[] = {
        {"CreateKey", create_key},
        {"DescribeKey", describe_key},
        {"ListKeys", list_keys},
        {"EnableKey", enable_key},
        {"DisableKey", disable_key},
        {"ScheduleKeyDeletion", schedule_key_deletion},
        {"CancelKeyDeletion", cancel_key_deletion},
        {"EnableKeyRotation", enable_key_rotation},
        {"DisableKeyRotation", disable_key_rotation},
        {"GetKeyRotationStatus", get_key_rotation_status},
        {"GetKeyPolicy", get_key_policy},
        {"PutKeyPolicy", put_key_policy},
        {"ListKeyPolicies", list_key_policies},
        {"TagResource", tag_resource},
        {"UntagResource", untag_resource},
        {"ListResourceTags", list_resource_tags},
        {"CreateAlias", create_alias},
        {"UpdateAlias", update_alias},
        {"DeleteAlias", delete_alias},
        {"ListAliases", list_aliases},
        {"Encrypt", encrypt},
        {"Decrypt", decrypt},
        {"ReEncrypt", re_encrypt},
        {"GenerateDataKey", generate_data_key},
        {"GenerateDataKeyWithoutPlaintext", generate_data_key_without_plaintext},
        {"GenerateDataKeyPair", generate_data_key_pair},
        {"GenerateDataKeyPairWithoutPlaintext", generate_data_key_pair_without_plaintext},
        {"GenerateRandom", generate_random},
        {"Sign", sign},
        {"Verify", verify},
        {"GetPublicKey", get_public_key},
        {"GenerateMac", generate_mac},
        {"VerifyMac", verify_mac},
        {"CreateGrant", create_grant},
        {"ListGrants", list_grants},
        {"RetireGrant", retire_grant},
        {"RevokeGrant", revoke_grant},
    };
    std::map<std::string, Handler, std::less<>> table;
    for (const auto& [op_name, op] : kOps) table.emplace(op_name, [op](Call& call) { return run(call, op); });
    return table;
  }

  void start(const Env& env) override {
    env.db->migrate("kms", schema_steps());
    master_key(env);  // creates the data dir's master key on first start
    purge_due_keys(*env.db);
    clock_subscription_ = Clock::subscribe([db = env.db](double) { purge_due_keys(*db); });
  }

  void stop() override {
    if (clock_subscription_ >= 0) Clock::unsubscribe(clock_subscription_);
    clock_subscription_ = -1;
  }

 private:
  static Document run(Call& call, Op op) {
    purge_due_keys(*call.env->db);
    // "DryRun ... checks your permissions" and then fails on purpose (API_Encrypt, DryRun).
    if (call.in().optional_bool("DryRun").value_or(false))
      throw kms_error("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
    return op(call);
  }

  int clock_subscription_ = -1;
};

}  // namespace

std::unique_ptr<Service> make_service() { return std::make_unique<KmsService>(); }

}  // namespace nimbus::kms
