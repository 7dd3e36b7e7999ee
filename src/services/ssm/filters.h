// ParameterFilters (and DescribeParameters' older Filters): parsed and checked with the
// errors AWS answers, then matched against parameters. "For DescribeParameters, all of the
// listed patterns are valid except Label. For GetParametersByPath, the following patterns
// listed for Key aren't valid: tag, DataType, Name, Path, and Tier." (API reference,
// ParameterStringFilter).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/document.h"
#include "services/ssm/parameter.h"

namespace nimbus::ssm {

enum class FilterUse { DescribeParameters, GetParametersByPath };

struct ParameterFilter {
  std::string key;     // Name, Type, KeyId, Path, Tier, Label, DataType, tag:<key>
  std::string option;  // Equals, BeginsWith, Contains (Name), Recursive, OneLevel (Path)
  std::vector<std::string> values;
};

// Throws InvalidFilterKey, InvalidFilterOption, InvalidFilterValue or ValidationException.
std::vector<ParameterFilter> parse_filters(const Array* parameter_filters,
                                           const Array* legacy_filters, FilterUse use);

// Whether `p` passes every filter; `tags` is asked only when a tag filter needs it.
// Label filters are applied by the caller, which picks the labelled version.
bool matches(const std::vector<ParameterFilter>& filters, const ParameterVersion& p,
             const std::function<Tags()>& tags);

// GetParametersByPath's Path: a ValidationException unless it is a "/"-rooted hierarchy.
void check_path(std::string_view path);

// The label filter's values, when the request has one.
const ParameterFilter* label_filter(const std::vector<ParameterFilter>& filters);

}  // namespace nimbus::ssm
