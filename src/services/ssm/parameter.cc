// The rules of parameter names, selectors, ARNs and labels, as "Requirements and
// constraints for parameter names" and "Working with parameter labels" in the AWS Systems
// Manager User Guide state them, with the messages PutParameter answers.
#include "services/ssm/parameter.h"

#include <cctype>

#include "core/aws_error.h"

namespace nimbus::ssm {
namespace {

// AWS's answer for a name with characters or sub-paths it does not accept.
constexpr const char* kBadNameMessage =
    "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, "
    "it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a "
    "mix of letters, numbers and the following 3 symbols .-_";

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool name_char_ok(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
         c == '/';
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::string parameter_arn(const Scope& scope, std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return "arn:aws:ssm:" + scope.region + ":" + scope.account + ":parameter/" + std::string(name);
}

std::vector<std::string> name_candidates(std::string_view text) {
  if (text.rfind("arn:", 0) == 0) {
    auto pos = text.find(":parameter/");
    if (pos == std::string_view::npos) return {std::string(text)};
    std::string rest(text.substr(pos + 11));
    // An ARN drops the leading slash of a hierarchical name; a flat name has none.
    if (rest.find('/') != std::string::npos) return {"/" + rest};
    return {rest, "/" + rest};
  }
  return {std::string(text)};
}

NameSelector parse_selector(std::string_view text) {
  NameSelector out;
  std::string_view base = text;
  // The selector follows the last colon after the ARN's own colons (names have none).
  size_t search_from = 0;
  if (text.rfind("arn:", 0) == 0) {
    auto pos = text.find(":parameter/");
    search_from = pos == std::string_view::npos ? text.size() : pos + 11;
  }
  auto colon = text.find(':', search_from);
  if (colon != std::string_view::npos) {
    base = text.substr(0, colon);
    std::string_view sel = text.substr(colon + 1);
    out.selector = ":" + std::string(sel);
    if (all_digits(sel) && sel.size() <= 18)
      out.version = std::stoll(std::string(sel));
    else
      out.label = std::string(sel);
  }
  out.candidates = name_candidates(base);
  return out;
}

void check_parameter_name(const Scope& scope, std::string_view name) {
  for (char c : name)
    if (!name_char_ok(c)) throw AwsError("ValidationException", kBadNameMessage);
  bool is_path = name.find('/') != std::string_view::npos;
  if (is_path && name.front() != '/')
    throw AwsError("ValidationException", "Parameter name must be a fully qualified name.");
  std::string_view bare = is_path ? name.substr(1) : name;
  if (is_path && (bare.empty() || bare.back() == '/' || bare.find("//") != std::string_view::npos))
    throw AwsError("ValidationException", kBadNameMessage);
  // "/aws/..." is the namespace of public parameters: AWS refuses writes there outright.
  bool multi_level = bare.find('/') != std::string_view::npos;
  if (starts_with_ci(bare, "aws") && multi_level)
    throw AwsError("AccessDeniedException",
                   "No access to reserved parameter name: " + std::string(name) + ".");
  if (starts_with_ci(bare, "aws") || starts_with_ci(bare, "ssm")) {
    if (!multi_level)
      throw AwsError("ValidationException",
                     "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
    throw AwsError("ValidationException", kBadNameMessage);
  }
  size_t levels = 1;
  for (char c : bare) levels += c == '/';
  if (is_path && levels > kMaxHierarchyLevels)
    throw AwsError("HierarchyLevelLimitExceededException",
                   "A hierarchy can have a maximum of 15 levels. For more information, see "
                   "Requirements and constraints for parameter names in the AWS Systems "
                   "Manager User Guide.");
  // The 2048 of the model includes 1037 characters AWS reserves; the rest (1011) counts
  // the ARN's prefix too.
  if (parameter_arn(scope, name).size() > kMaxNameWithArnPrefix)
    throw AwsError("ValidationException",
                   "Parameter name: the fully qualified parameter name (its ARN) can't be "
                   "longer than 1011 characters.");
}

bool label_is_valid(std::string_view label) {
  // "Labels can contain letters (case sensitive), numbers, periods (.), hyphens (-), or
  // underscores (_). Labels can't begin with a number, "aws" or "ssm" (not case sensitive)."
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (std::isdigit(static_cast<unsigned char>(label.front()))) return false;
  if (starts_with_ci(label, "aws") || starts_with_ci(label, "ssm")) return false;
  for (char c : label)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
      return false;
  return true;
}

size_t value_length(std::string_view value) {
  size_t n = 0;
  for (unsigned char c : value) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace nimbus::ssm
