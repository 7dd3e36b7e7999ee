// Helpers for running botocore's protocol vectors backwards through the XML codecs:
// converting a vector's params/result into a document per the model, and comparing
// documents and XML trees semantically (numbers numerically, timestamps as instants).
#pragma once

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <strings.h>
#include <limits>
#include <string>

#include "core/time_format.h"
#include "protocol/model.h"

namespace nimbus::protocol::testing {

namespace bj = boost::json;

inline bj::value number_of(const bj::value& v) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return v;
}

// Normalises a vector's shapes to the forms botocore's real models use: xmlNamespace
// as an object (the vectors' shorthand is a bare URI string), and location traits on the
// member reference rather than on the shape definition (legacy vectors put them there).
inline void normalise_shapes(bj::object& shapes) {
  auto fix_ns = [](bj::object& o) {
    if (auto it = o.find("xmlNamespace"); it != o.end() && it->value().is_string())
      it->value() = bj::object{{"uri", it->value().get_string()}};
  };
  for (auto& kv : shapes) {
    auto& shape = kv.value().as_object();
    fix_ns(shape);
    for (const char* part : {"member", "key", "value"})
      if (auto it = shape.find(part); it != shape.end() && it->value().is_object())
        fix_ns(it->value().as_object());
    auto members = shape.find("members");
    if (members == shape.end()) continue;
    for (auto& m : members->value().as_object()) {
      auto& ref = m.value().as_object();
      fix_ns(ref);
      auto target = shapes.find(ref.contains("shape") ? ref.at("shape").as_string() : "");
      if (target == shapes.end()) continue;
      const auto& def = target->value().as_object();
      if (def.contains("location") && !ref.contains("location")) {
        ref["location"] = def.at("location");
        if (def.contains("locationName") && !ref.contains("locationName"))
          ref["locationName"] = def.at("locationName");
      }
    }
  }
}

// The vector's JSON value as nimbus's document holds it, per the shape.
inline bj::value to_document(const ShapeRef& ref, const bj::value& v) {
  if (!ref.shape || v.is_null()) return v;
  const Shape& s = *ref.shape;
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union: {
      if (!v.is_object()) return v;
      bj::object out;
      for (const auto& kv : v.get_object()) {
        const Member* m = s.find_member(kv.key());
        out[kv.key()] = m ? to_document(m->ref, kv.value()) : kv.value();
      }
      return out;
    }
    case ShapeType::List: {
      if (!v.is_array()) return v;
      bj::array out;
      for (const auto& item : v.get_array()) out.push_back(to_document(s.member, item));
      return out;
    }
    case ShapeType::Map: {
      if (!v.is_object()) return v;
      bj::object out;
      for (const auto& kv : v.get_object()) out[kv.key()] = to_document(s.value, kv.value());
      return out;
    }
    case ShapeType::Timestamp:
      if (v.is_string())
        if (auto t = parse_timestamp(std::string_view(v.get_string()))) return *t;
      return v;
    case ShapeType::Float: case ShapeType::Double: case ShapeType::BigDecimal:
      return number_of(v);
    default:
      return v;
  }
}

inline bool as_double(const bj::value& v, double& d) {
  if (v.is_int64()) d = double(v.get_int64());
  else if (v.is_uint64()) d = double(v.get_uint64());
  else if (v.is_double()) d = v.get_double();
  else return false;
  return true;
}

// Equality where int 1 equals double 1.0 and NaN equals NaN. `where` names the first
// difference.
inline bool same_value(const bj::value& a, const bj::value& b, std::string& where,
                       const std::string& path = "$") {
  double x, y;
  if (as_double(a, x) && as_double(b, y)) {
    if ((std::isnan(x) && std::isnan(y)) || x == y || std::fabs(x - y) < 1e-6 * std::fabs(x))
      return true;
    where = path;
    return false;
  }
  if (a.is_object() && b.is_object()) {
    const auto& oa = a.get_object();
    const auto& ob = b.get_object();
    for (const auto& kv : oa) {
      auto it = ob.find(kv.key());
      if (it == ob.end()) {
        if (kv.value().is_null()) continue;
        where = path + "." + std::string(kv.key()) + " missing";
        return false;
      }
      if (!same_value(kv.value(), it->value(), where, path + "." + std::string(kv.key())))
        return false;
    }
    for (const auto& kv : ob)
      if (!oa.contains(kv.key()) && !kv.value().is_null()) {
        where = path + "." + std::string(kv.key()) + " unexpected";
        return false;
      }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    const auto& aa = a.get_array();
    const auto& ab = b.get_array();
    if (aa.size() != ab.size()) {
      where = path + " size";
      return false;
    }
    for (size_t i = 0; i < aa.size(); ++i)
      if (!same_value(aa[i], ab[i], where, path + "[" + std::to_string(i) + "]")) return false;
    return true;
  }
  if (a == b) return true;
  where = path;
  return false;
}

// Text equality for XML leaves: exact, or the same number, or the same instant.
inline bool same_text(std::string_view a, std::string_view b) {
  if (a == b) return true;
  // Pretty-printed empty elements hold only indentation.
  auto indent_only = [](std::string_view s) {
    return s.find('\n') != std::string_view::npos &&
           s.find_first_not_of(" \t\r\n") == std::string_view::npos;
  };
  if ((a.empty() && indent_only(b)) || (b.empty() && indent_only(a))) return true;
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  if (trim(a) != a || trim(b) != b) return false;  // whitespace is significant when present
  std::string sa(a), sb(b);
  char *ea = nullptr, *eb = nullptr;
  double x = std::strtod(sa.c_str(), &ea), y = std::strtod(sb.c_str(), &eb);
  if (!sa.empty() && !sb.empty() && *ea == 0 && *eb == 0)
    return x == y || (std::isnan(x) && std::isnan(y));
  auto ta = parse_timestamp(a), tb = parse_timestamp(b);
  return ta && tb && std::fabs(*ta - *tb) < 1e-3;
}

inline std::string node_text(const pugi::xml_node& n) {
  std::string t;
  for (auto c : n.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) t += c.value();
  return t;
}

// Extra elements nimbus may add that a vector leaves out (the request id, S3's HostId).
inline bool allowed_extra(std::string_view name) {
  return name == "ResponseMetadata" || name == "requestId" || name == "RequestId" ||
         name == "RequestID" || name == "HostId";
}

// Compares expected (the vector) against actual (ours). xmlns declarations are checked
// except on the root when check_root_ns is false (query/ec2 roots carry the service's).
inline bool same_xml(const pugi::xml_node& e, const pugi::xml_node& a, std::string& where,
                     bool check_ns, const std::string& path = "") {
  std::string here = path + "/" + e.name();
  if (std::string_view(e.name()) != a.name()) {
    where = here + " vs " + a.name();
    return false;
  }
  for (auto attr : e.attributes()) {
    std::string_view n = attr.name();
    if (n.substr(0, 5) == "xmlns" && !check_ns) continue;
    auto mine = a.attribute(attr.name());
    if (!mine || std::string_view(mine.value()) != attr.value()) {
      where = here + "@" + std::string(n);
      return false;
    }
  }
  std::vector<pugi::xml_node> ec, ac;
  for (auto c : e.children()) if (c.type() == pugi::node_element) ec.push_back(c);
  for (auto c : a.children()) if (c.type() == pugi::node_element) ac.push_back(c);
  if (ec.empty() && ac.empty()) {
    if (!same_text(node_text(e), node_text(a))) {
      where = here + " text '" + node_text(e) + "' vs '" + node_text(a) + "'";
      return false;
    }
    return true;
  }
  // The request id and its kin may sit anywhere among their siblings (legacy vectors even
  // put it inside the result); a vector's copy is only checked when ours is a sibling.
  auto split = [](std::vector<pugi::xml_node>& nodes) {
    std::vector<pugi::xml_node> extras;
    std::erase_if(nodes, [&](const pugi::xml_node& n) {
      if (!allowed_extra(n.name())) return false;
      extras.push_back(n);
      return true;
    });
    return extras;
  };
  auto e_extra = split(ec);
  auto a_extra = split(ac);
  for (const auto& x : e_extra)
    for (const auto& n : a_extra)
      if (strcasecmp(n.name(), x.name()) == 0 && !same_text(node_text(x), node_text(n))) {
        where = here + "/" + x.name() + " differs";
        return false;
      }
  if (ec.size() != ac.size()) {
    where = here + " has " + std::to_string(ac.size()) + " children, expected " +
            std::to_string(ec.size());
    return false;
  }
  // Members may come in any order; same-named siblings (list items) keep theirs.
  std::vector<bool> used(ac.size(), false);
  for (const auto& x : ec) {
    size_t j = 0;
    while (j < ac.size() && (used[j] || std::string_view(ac[j].name()) != x.name())) ++j;
    if (j == ac.size()) {
      where = here + " missing " + x.name();
      return false;
    }
    used[j] = true;
    if (!same_xml(x, ac[j], where, true, here)) return false;
  }
  return true;
}

}  // namespace nimbus::protocol::testing
