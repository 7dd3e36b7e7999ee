// GetParametersByPath and DescribeParameters: a walk over the latest versions in name
// order, filtered, a page at a time; the NextToken is the last name returned. Like AWS,
// a page is cut at MaxResults matches and carries a token only when more remain.
#include "core/aws_error.h"
#include "services/ssm/filters.h"
#include "services/ssm/parameter.h"
#include "services/ssm/ssm_ops.h"
#include "store/database.h"

namespace nimbus::ssm {
namespace {

struct Page {
  std::vector<ParameterVersion> items;
  bool more = false;
};

// Whether `name` lies under `prefix` ("/a/" for "/a"), one level down unless recursive.
bool under_path(const std::string& name, const std::string& prefix, bool recursive) {
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return false;
  return recursive || name.find('/', prefix.size()) == std::string::npos;
}

// For a Label filter, the version carrying one of its labels; nullopt when none does.
std::optional<ParameterVersion> labelled_version(store::Session& s, const Scope& scope,
                                                 const ParameterFilter& f,
                                                 const std::string& name) {
  for (const auto& label : f.values)
    if (auto v = load_labelled(s, scope, name, label)) return v;
  return std::nullopt;
}

// Walks latest versions after `after`; `accept` maps one to the item to return (or
// nullopt to skip) and says when the walk has passed every candidate.
Page collect(store::Session& s, const Scope& scope, const std::string& after, int64_t max,
             const std::function<std::optional<ParameterVersion>(ParameterVersion&&, bool&)>& accept) {
  Page page;
  for_each_latest(s, scope, after, [&](ParameterVersion&& p) {
    bool stop = false;
    auto item = accept(std::move(p), stop);
    if (stop) return false;
    if (!item) return true;
    if (static_cast<int64_t>(page.items.size()) == max) {
      page.more = true;
      return false;
    }
    page.items.push_back(std::move(*item));
    return true;
  });
  return page;
}

}  // namespace

Document get_parameters_by_path(Call& call) {
  In in = call.in();
  std::string path = in.string("Path");
  check_path(path);
  bool recursive = in.optional_bool("Recursive").value_or(false);
  bool decrypt = in.optional_bool("WithDecryption").value_or(false);
  int64_t max = in.optional_int("MaxResults").value_or(kDefaultPathMaxResults);
  auto filters = parse_filters(in.optional_array("ParameterFilters"), nullptr,
                               FilterUse::GetParametersByPath);
  const ParameterFilter* label = label_filter(filters);
  std::string after = decode_token(in.optional_string("NextToken"));
  std::string prefix = path;
  if (prefix.back() != '/') prefix += '/';
  Scope scope = scope_of(call);
  Page page;
  {
    store::Snapshot snap(db_of(call));
    page = collect(snap, scope, after, max, [&](ParameterVersion&& p, bool& stop) {
      std::optional<ParameterVersion> none;
      if (p.name.rfind(prefix, 0) != 0) {
        stop = p.name > prefix;  // names are in order: past the prefix, nothing can match
        return none;
      }
      if (!under_path(p.name, prefix, recursive)) return none;
      if (label) {
        auto v = labelled_version(snap, scope, *label, p.name);
        if (!v) return none;
        p = std::move(*v);
      }
      if (!matches(filters, p, [] { return Tags(); })) return none;
      return std::optional<ParameterVersion>(std::move(p));
    });
  }
  Array params;
  for (const auto& p : page.items) params.emplace_back(parameter_document(call, p, decrypt));
  Document out;
  out["Parameters"] = std::move(params);
  if (page.more) out["NextToken"] = encode_token(page.items.back().name);
  return out;
}

Document describe_parameters(Call& call) {
  In in = call.in();
  int64_t max = in.optional_int("MaxResults").value_or(kDefaultDescribeMaxResults);
  auto filters = parse_filters(in.optional_array("ParameterFilters"), in.optional_array("Filters"),
                               FilterUse::DescribeParameters);
  std::string after = decode_token(in.optional_string("NextToken"));
  Scope scope = scope_of(call);
  Page page;
  {
    store::Snapshot snap(db_of(call));
    page = collect(snap, scope, after, max, [&](ParameterVersion&& p, bool&) {
      auto tags = [&] { return tags_of(snap, scope, "Parameter", p.name); };
      if (!matches(filters, p, tags)) return std::optional<ParameterVersion>();
      return std::optional<ParameterVersion>(std::move(p));
    });
  }
  Array params;
  for (const auto& p : page.items) params.emplace_back(metadata_document(call, p));
  Document out;
  out["Parameters"] = std::move(params);
  if (page.more) out["NextToken"] = encode_token(page.items.back().name);
  return out;
}

}  // namespace nimbus::ssm
