// SNS subscription filter policies
// (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html):
// exact strings, numbers, booleans and null, anything-but, prefix, suffix,
// equals-ignore-case, numeric ranges, exists, cidr, $or, and nested keys when the
// policy's scope is MessageBody. Parse and validate once (cached by text and scope), match
// many. Validation errors carry AWS's wording after "Invalid parameter: FilterPolicy: ".
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace nimbus::filter_policy {

// AWS quotas (sns-subscription-filter-policies.html, "Filter policy constraints").
inline constexpr size_t kMaxKeys = 5;              // attribute names per policy (per $or branch)
inline constexpr size_t kMaxCombinations = 150;    // product of values, documented as 100
inline constexpr size_t kMaxPolicyBytes = 256 * 1024;
inline constexpr double kMaxNumber = 1e9;          // numeric values lie in (-1e9, 1e9)
inline constexpr int kMaxDepth = 32;               // our own bound on nesting

enum class Scope { MessageAttributes, MessageBody };

// A policy AWS would refuse. what() is the text after "Invalid parameter: " (it starts
// with "FilterPolicy: " except for the scope rule, which AWS words on its own).
struct PolicyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Node;  // the AST (ast.h)

// One message attribute as Publish carries it: DataType and its value as text.
struct Attribute {
  std::string type;   // "String", "Number", "Binary", "String.Array" (custom suffixes allowed)
  std::string value;  // StringValue (Binary: not matchable)
};
using Attributes = std::map<std::string, Attribute, std::less<>>;

class FilterPolicy {
 public:
  // Parses and validates `text` for `scope` (throws PolicyError); equal inputs share one AST.
  static std::shared_ptr<const FilterPolicy> compile(std::string_view text, Scope scope);
  bool matches_attributes(const Attributes& attributes) const;
  // `body` is the parsed message; a message that is not a JSON object never matches.
  bool matches_body(const boost::json::value& body) const;
  const Node& ast() const { return *ast_; }

  explicit FilterPolicy(std::shared_ptr<const Node> ast) : ast_(std::move(ast)) {}

 private:
  std::shared_ptr<const Node> ast_;
};

// The parser alone (no cache), for tests.
std::shared_ptr<const Node> parse(std::string_view text, Scope scope);

}  // namespace nimbus::filter_policy
