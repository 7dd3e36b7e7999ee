// Helpers for auth tests: raw HTTP requests parsed from the SigV4 suite's files, a
// fixed credential store, and small readers.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "auth/authenticate.h"
#include "core/http_message.h"
#include "core/identity.h"

namespace nimbus::auth::testing {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void set_target(HttpRequest& req, const std::string& target) {
  req.target = target;
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  req.query = q == std::string::npos ? "" : target.substr(q + 1);
}

// "GET /path?q HTTP/1.1\nName:value\n  folded\n\nbody" (the suite's .req/.sreq form).
inline HttpRequest parse_raw_request(const std::string& text) {
  HttpRequest req;
  size_t pos = text.find('\n');
  std::string line = text.substr(0, pos);
  size_t sp = line.find(' ');
  size_t http = line.rfind(" HTTP/");
  req.method = line.substr(0, sp);
  set_target(req, line.substr(sp + 1, http - sp - 1));
  while (pos != std::string::npos && pos < text.size()) {
    size_t start = pos + 1;
    size_t end = text.find('\n', start);
    std::string l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    pos = end;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (l.empty()) {
      if (end != std::string::npos) req.body.data = text.substr(end + 1);
      break;
    }
    if ((l[0] == ' ' || l[0] == '\t') && !req.headers.list().empty()) {
      req.headers.list().back().value += "\n" + l;  // obsolete line folding
      continue;
    }
    size_t colon = l.find(':');
    // HTTP parsers drop the optional whitespace around a field value (RFC 9110 5.5).
    std::string value = l.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    req.headers.add(l.substr(0, colon), value);
  }
  req.body.size = req.body.data.size();
  return req;
}

// A store holding fixed credentials by access key.
class FixedStore : public CredentialStore {
 public:
  void put(Credential c) { creds_[c.access_key] = std::move(c); }
  std::optional<Credential> find(std::string_view key) const override {
    auto it = creds_.find(std::string(key));
    if (it == creds_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, Credential> creds_;
};

inline Credential user_credential(std::string key, std::string secret,
                                  std::string account = "111122223333") {
  Credential c;
  c.access_key = std::move(key);
  c.secret_key = std::move(secret);
  c.identity.type = PrincipalType::User;
  c.identity.account = account;
  c.identity.arn = "arn:aws:iam::" + account + ":user/alice";
  c.identity.user_id = "AIDAEXAMPLEUSER00001";
  return c;
}

}  // namespace nimbus::auth::testing
