// The filter policy AST: a node is a conjunction of keys (each a list of alternative
// matchers, or a nested node for MessageBody scope) and of $or groups.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nimbus::filter_policy {

struct Matcher {
  enum class Kind {
    ExactString, ExactNumber, ExactBool, ExactNull, Prefix, Suffix, EqualsIgnoreCase,
    AnythingBut, AnythingButPrefix, AnythingButSuffix, Numeric, Exists, Cidr
  };
  Kind kind = Kind::ExactString;
  std::string text;                  // string operand (prefix, suffix, cidr text, ...)
  double number = 0;                 // ExactNumber
  bool flag = false;                 // ExactBool, Exists
  std::vector<std::string> strings;  // AnythingBut strings
  std::vector<double> numbers;       // AnythingBut numbers
  // Numeric: (operator, operand) pairs, all of which must hold: "<", "<=", "=", ">", ">=".
  std::vector<std::pair<std::string, double>> ranges;
  uint32_t cidr_net = 0, cidr_mask = 0;  // Cidr (IPv4)
};

struct Node;

struct Key {
  std::string name;
  std::vector<Matcher> any_of;  // when child is null
  std::shared_ptr<Node> child;  // a nested policy (MessageBody scope)
};

struct Node {
  std::vector<Key> keys;
  std::vector<std::vector<std::shared_ptr<Node>>> ors;  // each $or: one branch must hold
};

}  // namespace nimbus::filter_policy
