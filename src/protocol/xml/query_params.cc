// Form parameters to documents for the query and ec2 protocols: the inverse of botocore's
// QuerySerializer and EC2QuerySerializer (serialize.py), key naming rules included.
#include <cctype>
#include <map>

#include "core/url.h"
#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol::xml {
namespace {

constexpr const char* kBadQuery = "MalformedQueryString";
// A list index beyond this is refused rather than looped towards (AWS caps request
// parameters far below; SQS batches hold 10 entries, EC2 filters 200 values).
constexpr int kMaxListIndex = 100000;

class FormReader {
 public:
  FormReader(const std::vector<std::pair<std::string, std::string>>& params, QueryFlavor f)
      : flavor_(f) {
    for (const auto& [k, v] : params) params_.emplace(k, v);  // the first value wins
  }

  Document structure(const Shape& shape, const std::string& prefix) {
    Document doc;
    for (const auto& m : shape.members) {
      if (!m.ref.shape) continue;
      std::string key = prefix.empty() ? member_name(m) : prefix + "." + member_name(m);
      auto v = value(m.ref, key);
      if (!v.is_null()) doc[m.name] = std::move(v);
    }
    return doc;
  }

 private:
  // ec2 names: queryName, else the capitalised locationName, else the member name.
  std::string member_name(const Member& m) const {
    if (flavor_ == QueryFlavor::Ec2) {
      if (!m.ref.query_name.empty()) return m.ref.query_name;
      std::string n = ref_name(m.ref, m.name);
      if (!n.empty()) n[0] = char(std::toupper(static_cast<unsigned char>(n[0])));
      return n;
    }
    return ref_name(m.ref, m.name);
  }

  // True when key itself or any "key.<more>" is present.
  bool any_under(const std::string& key) const {
    for (auto it = params_.lower_bound(key); it != params_.end(); ++it) {
      const std::string& k = it->first;
      if (k.compare(0, key.size(), key) != 0) return false;
      if (k.size() == key.size() || k[key.size()] == '.') return true;
    }
    return false;
  }

  Value value(const ShapeRef& ref, const std::string& key) {
    switch (ref.shape->type) {
      case ShapeType::Structure:
      case ShapeType::Union: {
        if (!any_under(key)) return nullptr;
        return structure(*ref.shape, key);
      }
      case ShapeType::List:
        return list(ref, key);
      case ShapeType::Map:
        return map(ref, key);
      default: {
        auto it = params_.find(key);
        if (it == params_.end()) return nullptr;
        return parse_scalar(ref, it->second, kBadQuery);
      }
    }
  }

  std::string list_prefix(const ShapeRef& ref, const std::string& key) const {
    const Shape& s = *ref.shape;
    if (flavor_ == QueryFlavor::Ec2) return key;
    if (!is_flattened(ref)) return key + "." + ref_name(s.member, "member");
    // Flattened: "Name.N", where a named member replaces the last segment of the key.
    std::string member_name = ref_name(s.member, "");
    if (member_name.empty()) return key;
    auto dot = key.rfind('.');
    return (dot == std::string::npos ? "" : key.substr(0, dot + 1)) + member_name;
  }

  Value list(const ShapeRef& ref, const std::string& key) {
    Array items;
    std::string prefix = list_prefix(ref, key);
    for (int i = 1; i <= kMaxListIndex; ++i) {
      std::string k = prefix + "." + std::to_string(i);
      if (!any_under(k)) break;
      items.push_back(value(ref.shape->member, k));
    }
    // "Name=" with no members is how botocore sends an empty list.
    if (items.empty() && !params_.count(key)) return nullptr;
    return items;
  }

  Value map(const ShapeRef& ref, const std::string& key) {
    const Shape& s = *ref.shape;
    if (!any_under(key)) return nullptr;
    Document out;
    std::string prefix = is_flattened(ref) ? key : key + ".entry";
    std::string key_name = ref_name(s.key, "key"), value_name = ref_name(s.value, "value");
    for (int i = 1; i <= kMaxListIndex; ++i) {
      std::string base = prefix + "." + std::to_string(i) + ".";
      auto k = params_.find(base + key_name);
      if (k == params_.end()) {
        if (any_under(prefix + "." + std::to_string(i))) continue;
        break;
      }
      std::string vkey = base + value_name;
      out[k->second] = any_under(vkey) ? value(s.value, vkey) : Value(nullptr);
    }
    return out;
  }

  std::map<std::string, std::string, std::less<>> params_;
  QueryFlavor flavor_;
};

}  // namespace

Document read_query_params(const Shape& shape,
                           const std::vector<std::pair<std::string, std::string>>& params,
                           QueryFlavor flavor) {
  return FormReader(params, flavor).structure(shape, "");
}

std::vector<std::pair<std::string, std::string>> form_params(const HttpRequest& req) {
  auto params = parse_query(req.query, true);
  // A GET carries everything in its URL; a POST's body is the form whatever its declared
  // Content-Type (old SDKs add "; charset=utf-8", some send none).
  if (req.body.size > 0 || !req.body.data.empty()) {
    std::string body = req.body.read_all();
    for (unsigned char c : body)
      if (c < 0x20 && c != '\r' && c != '\n' && c != '\t')
        throw AwsError(kBadQuery, "The request body is not a valid form encoding", 400);
    auto more = parse_query(body, true);
    params.insert(params.end(), more.begin(), more.end());
  }
  return params;
}

std::string query_namespace(const ServiceModel& model) {
  const auto& md = model.metadata();
  if (!md.xml_namespace.empty()) return md.xml_namespace;
  if (md.endpoint_prefix.empty()) return {};
  // AWS's query services answer in "https://<endpointPrefix>.amazonaws.com/doc/<version>/"
  // (e.g. https://sns.amazonaws.com/doc/2010-03-31/).
  return "https://" + md.endpoint_prefix + ".amazonaws.com/doc/" + md.api_version + "/";
}

std::string wire_error_code(const ServiceModel& model, const AwsError& error) {
  if (const Shape* s = model.find_shape(error.code); s && s->exception && !s->error_code.empty())
    return s->error_code;
  return error.code;
}

std::string response_request_id(const HttpResponse& out) {
  return out.headers.value("x-amzn-RequestId");
}

}  // namespace nimbus::protocol::xml
