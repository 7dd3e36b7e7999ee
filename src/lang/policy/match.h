// The matching primitives of the policy language: the request context (condition keys),
// policy variables (${aws:username}, ${*}), wildcards (* and ?) and ARN component matching.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::policy {

// Condition keys of one request: lower-cased key name -> its values (one for single-valued
// keys, several for multivalued ones such as aws:TagKeys). Key names are case-insensitive.
class Context {
 public:
  void set(std::string_view key, std::string value);
  void set_all(std::string_view key, std::vector<std::string> values);
  // nullptr when the key is absent from the request.
  const std::vector<std::string>* find(std::string_view key) const;
  const std::map<std::string, std::vector<std::string>, std::less<>>& all() const { return keys_; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> keys_;
};

// A pattern after variable substitution: which characters came from a variable (and so
// are literal even when they are '*' or '?').
struct Pattern {
  std::string text;
  std::vector<bool> literal;
};

// Substitutes ${key}, ${key, 'default'}, ${*}, ${?} and ${$} when `enabled` (Version
// 2012-10-17); nullopt when a variable names an absent key without a default, which makes
// the element it stands in match nothing.
std::optional<Pattern> substitute(std::string_view text, const Context& ctx, bool enabled);

// `*` matches any run of characters (including none), `?` exactly one.
bool wildcard_match(const Pattern& pattern, std::string_view value, bool ignore_case);
bool wildcard_match(std::string_view pattern, std::string_view value, bool ignore_case);

// ArnLike/ArnEquals: the six colon-separated components compared one by one, each with
// wildcards (the last one keeps its colons). Values that are not ARNs never match.
bool arn_match(const Pattern& pattern, std::string_view arn);

std::string to_lower(std::string_view s);

}  // namespace nimbus::policy
