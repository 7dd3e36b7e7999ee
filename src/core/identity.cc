// Credential lookup across the registered stores.
#include "core/identity.h"

namespace nimbus {

void CredentialRegistry::add(std::shared_ptr<const CredentialStore> store) {
  stores_.push_back(std::move(store));
}

std::optional<Credential> CredentialRegistry::find(std::string_view access_key) const {
  for (const auto& s : stores_)
    if (auto c = s->find(access_key)) return c;
  return std::nullopt;
}

Identity root_identity(std::string_view account) {
  Identity id;
  id.type = PrincipalType::Root;
  id.account = std::string(account);
  id.arn = "arn:aws:iam::" + id.account + ":root";
  id.user_id = id.account;
  return id;
}

}  // namespace nimbus
