// Parameter filters: AWS's validation (with its messages) and matching.
#include "services/ssm/filters.h"

#include <algorithm>
#include <set>

#include "core/aws_error.h"

namespace nimbus::ssm {
namespace {

const char* kPathNameMessage =
    "The parameter doesn't meet the parameter name requirements. The parameter name must "
    "begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" "
    "(case-insensitive). It must use only letters, numbers, or the following symbols: . "
    "(period), - (hyphen), _ (underscore). Special characters are not allowed. All "
    "sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: "
    "/get/parameters2-/by1./path0_.";

std::vector<std::string> strings_of(const Value* v) {
  std::vector<std::string> out;
  if (!v || !v->is_array()) return out;
  for (const auto& e : v->get_array())
    if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

bool is_tag(const std::string& key) { return key.rfind("tag:", 0) == 0; }

void check_key(const std::string& key, FilterUse use) {
  if (use == FilterUse::DescribeParameters && key == "Label")
    throw AwsError("InvalidFilterKey",
                   "The following filter key is not valid: Label. Valid filter keys include: "
                   "[Path, Name, Type, KeyId, Tier].");
  if (use == FilterUse::GetParametersByPath && key != "Type" && key != "KeyId" && key != "Label")
    throw AwsError("InvalidFilterKey", "The following filter key is not valid: " + key +
                                           ". Valid filter keys include: [Type, KeyId].");
}

void check_path_values(const std::vector<std::string>& values) {
  for (const auto& v : values) {
    std::string lower = v;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower.rfind("/aws", 0) == 0 || lower.rfind("/ssm", 0) == 0)
      throw AwsError("ValidationException",
                     "Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" "
                     "(case-insensitive). When using global parameters, please specify within "
                     "a global namespace.");
    bool chars_ok = std::all_of(v.begin(), v.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
             c == '/';
    });
    if (v.empty() || v.front() != '/' || v.find("//") != std::string::npos || !chars_ok)
      throw AwsError("ValidationException", kPathNameMessage);
  }
}

void check_allowed(const ParameterFilter& f, const std::set<std::string>& allowed,
                   const char* listing) {
  for (const auto& v : f.values)
    if (!allowed.count(v))
      throw AwsError("InvalidFilterValue", "The following filter value is not valid: " + v +
                                               ". Valid values include: " + listing + ".");
}

void check_option(const ParameterFilter& f) {
  if (f.key == "Path") {
    if (f.option != "Recursive" && f.option != "OneLevel")
      throw AwsError("InvalidFilterOption", "The following filter option is not valid: " +
                                                f.option +
                                                ". Valid options include: [Recursive, OneLevel].");
    return;
  }
  if (f.key == "Label") {
    if (f.option != "Equals")
      throw AwsError("InvalidFilterOption", "The following filter option is not valid: " +
                                                f.option + ". Valid options include: [Equals].");
    return;
  }
  bool ok = f.option == "Equals" || f.option == "BeginsWith" ||
            (f.key == "Name" && f.option == "Contains");
  if (!ok)
    throw AwsError("InvalidFilterOption",
                   "The following filter option is not valid: " + f.option +
                       (f.key == "Name" ? ". Valid options include: [BeginsWith, Equals, Contains]."
                                        : ". Valid options include: [BeginsWith, Equals]."));
}

std::vector<ParameterFilter> parse_legacy(const Array& legacy) {
  std::vector<ParameterFilter> out;
  for (const auto& e : legacy) {
    if (!e.is_object()) continue;
    const auto& o = e.get_object();
    ParameterFilter f;
    f.key = o.contains("Key") && o.at("Key").is_string() ? std::string(o.at("Key").get_string()) : "";
    f.values = strings_of(o.if_contains("Values"));
    // The older Filters match names by prefix and the rest exactly.
    f.option = f.key == "Name" ? "BeginsWith" : "Equals";
    if (f.values.empty())
      throw AwsError("InvalidFilterValue",
                     "The following filter values are missing : null for filter key " + f.key + ".");
    out.push_back(std::move(f));
  }
  return out;
}

std::string slashed(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  return "/" + std::string(s);
}

bool match_text(const ParameterFilter& f, const std::string& what) {
  for (const auto& v : f.values) {
    if (f.option == "Equals" && what == v) return true;
    if (f.option == "BeginsWith" && what.rfind(v, 0) == 0) return true;
    if (f.option == "Contains" && what.find(v) != std::string::npos) return true;
  }
  return false;
}

bool match_path(const ParameterFilter& f, const std::string& name) {
  if (name.empty() || name.front() != '/') return false;
  for (auto v : f.values) {
    while (v.size() > 1 && v.back() == '/') v.pop_back();
    std::string prefix = v == "/" ? "/" : v + "/";
    if (name.rfind(prefix, 0) != 0) continue;
    if (f.option == "Recursive") return true;
    if (name.find('/', prefix.size()) == std::string::npos) return true;  // one level down
  }
  return false;
}

}  // namespace

std::vector<ParameterFilter> parse_filters(const Array* parameter_filters,
                                           const Array* legacy_filters, FilterUse use) {
  if (parameter_filters && legacy_filters)
    throw AwsError("ValidationException",
                   "You can use either Filters or ParameterFilters in a single request.");
  if (legacy_filters) return parse_legacy(*legacy_filters);
  std::vector<ParameterFilter> out;
  if (!parameter_filters) return out;
  std::set<std::string> seen;
  for (const auto& e : *parameter_filters) {
    if (!e.is_object()) continue;
    const auto& o = e.get_object();
    ParameterFilter f;
    f.key = o.contains("Key") && o.at("Key").is_string() ? std::string(o.at("Key").get_string()) : "";
    const Value* opt = o.if_contains("Option");
    f.option = opt && opt->is_string() ? std::string(opt->get_string())
                                       : (f.key == "Path" ? "OneLevel" : "Equals");
    f.values = strings_of(o.if_contains("Values"));
    check_key(f.key, use);
    if (f.values.empty() && !is_tag(f.key))
      throw AwsError("InvalidFilterValue",
                     "The following filter values are missing : null for filter key " + f.key + ".");
    if (!seen.insert(f.key).second)
      throw AwsError("InvalidFilterKey",
                     "The following filter is duplicated in the request: " + f.key +
                         ". A request can contain only one occurrence of a specific filter.");
    check_option(f);
    if (f.key == "Path") check_path_values(f.values);
    if (f.key == "Type")
      check_allowed(f, {"String", "StringList", "SecureString"}, "[String, StringList, SecureString]");
    if (f.key == "Tier")
      check_allowed(f, {kTierStandard, kTierAdvanced, kTierIntelligent},
                    "[Standard, Advanced, Intelligent-Tiering]");
    out.push_back(std::move(f));
  }
  return out;
}

void check_path(std::string_view path) {
  bool chars_ok = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == '/';
  });
  if (path.empty() || path.front() != '/' || path.find("//") != std::string_view::npos || !chars_ok)
    throw AwsError("ValidationException", kPathNameMessage);
}

const ParameterFilter* label_filter(const std::vector<ParameterFilter>& filters) {
  for (const auto& f : filters)
    if (f.key == "Label") return &f;
  return nullptr;
}

bool matches(const std::vector<ParameterFilter>& filters, const ParameterVersion& p,
             const std::function<Tags()>& tags) {
  std::optional<Tags> loaded;
  for (const auto& f : filters) {
    bool ok = true;
    if (f.key == "Name") {
      if (f.option == "Contains") {
        ok = match_text(f, p.name);
      } else {
        ParameterFilter g = f;
        for (auto& v : g.values) v = slashed(v);
        ok = match_text(g, slashed(p.name));
      }
    } else if (f.key == "Path") {
      ok = match_path(f, p.name);
    } else if (f.key == "Type") {
      ok = match_text(f, p.type);
    } else if (f.key == "KeyId") {
      ok = p.type == "SecureString" && match_text(f, p.key_id);
    } else if (f.key == "Tier") {
      ok = match_text(f, p.tier);
    } else if (f.key == "DataType") {
      ok = match_text(f, p.data_type);
    } else if (is_tag(f.key)) {
      if (!loaded) loaded = tags();
      std::string key = f.key.substr(4);
      auto it = std::find_if(loaded->begin(), loaded->end(),
                             [&](const auto& t) { return t.first == key; });
      ok = it != loaded->end() && (f.values.empty() || match_text(f, it->second));
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace nimbus::ssm
