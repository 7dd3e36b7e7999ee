// CloudWatch Logs filter patterns, as FilterLogEvents and metric/subscription filters read
// them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
// unstructured terms ("ERROR", quoted phrases, -exclusions, ?alternatives, %regex%), JSON
// patterns ({ $.level = "ERROR" && $.latency > 100 }) and space-delimited patterns
// ([ip, user, ..., status=5*, bytes > 1000]). Parse once (cached by text), match many.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::filter_pattern {

// AWS: FilterLogEvents filterPattern has length 0..1024.
inline constexpr size_t kMaxPatternLength = 1024;
// Our own bound on nested parentheses in JSON patterns, so a hostile pattern cannot
// exhaust the stack.
inline constexpr int kMaxNesting = 32;
// Our own bound on space-delimited fields tried per message (the `...` search).
inline constexpr size_t kMaxMessageFields = 512;

// A pattern that does not parse; the message names what is wrong.
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Pattern;  // the AST (ast.h)

class FilterPattern {
 public:
  // Parses `text` (throws ParseError); equal texts share one parsed pattern.
  static std::shared_ptr<const FilterPattern> compile(std::string_view text);
  // True when the log event message matches.
  bool matches(std::string_view message) const;
  const Pattern& ast() const { return *ast_; }

  explicit FilterPattern(std::shared_ptr<const Pattern> ast) : ast_(std::move(ast)) {}

 private:
  std::shared_ptr<const Pattern> ast_;
};

// The parser alone (no cache), for tests.
std::shared_ptr<const Pattern> parse(std::string_view text);
bool matches(const Pattern& pattern, std::string_view message);

}  // namespace nimbus::filter_pattern
