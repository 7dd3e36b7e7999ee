// Loads botocore's protocol vectors (NIMBUS_VECTORS_DIR/protocols) for the JSON-family
// protocols as one test case each, with the ignore list applied and skips explained.
#pragma once

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/json/json_codecs.h"
#include "protocol/model.h"

namespace nimbus::protocol::testing {

namespace fs = std::filesystem;
namespace bj = boost::json;

struct VectorCase {
  std::string name;      // unique, gtest-safe
  std::string protocol;  // the vector file's stem: "json", "json_1_0", "rest-json", ...
  std::string id;        // the case id (legacy cases: "<suite>.<case>")
  bool input = true;     // request parsing (input/) or response rendering (output/)
  bool legacy = false;
  std::string skip;                         // why the case does not run, empty when it does
  std::shared_ptr<const bj::object> suite;  // metadata, shapes, description
  bj::object c;                             // the case itself
};

// The JSON-family files this suite runs, by stem.
inline const std::vector<std::string>& json_family_stems() {
  static const std::vector<std::string> stems = {"json",
                                                 "json_1_0",
                                                 "json_1_0-query-compatible",
                                                 "rest-json",
                                                 "smithy-rpc-v2-cbor",
                                                 "smithy-rpc-v2-cbor-query-compatible",
                                                 "smithy-rpc-v2-cbor-non-query-compatible"};
  return stems;
}

inline std::string vectors_dir() { return std::string(NIMBUS_VECTORS_DIR) + "/protocols"; }

inline bj::value read_json_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return bj::parse(ss.str());
}

inline std::string safe_name(std::string s) {
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

inline std::string str_of(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

// Cases that describe a client's behaviour and cannot be run backwards against a server.
inline std::string not_reversible(const std::string& stem, bool legacy, bool input,
                                  const std::string& id, const bj::object& suite,
                                  const bj::object& c) {
  std::string desc = str_of(suite, "description");
  if (desc == "RPC JSON Event Stream") return "event streams are not part of these codecs";
  if (!input) {
    if (auto it = c.find("result"); it != c.end())
      if (bj::serialize(it->value()).find("SDK_UNKNOWN_MEMBER") != std::string::npos)
        return "client-side placeholder for unknown union members";
    // Smithy marks these "client allows": a lenient reader, not what a server sends.
    if (id.find("ClientAllows") != std::string::npos) return "client leniency test";
  }
  struct Known {
    const char* stem;
    bool legacy, input;
    const char* id;
    const char* why;
  };
  static const Known known[] = {
      {"json", true, false, "3.1", "the vector's model declares a map shape as a string"},
      {"rest-json", true, true, "25.7", "the client added a default Content-Type to a member"},
  };
  for (const auto& k : known)
    if (stem == k.stem && legacy == k.legacy && input == k.input && id == k.id) return k.why;
  return "";
}

class IgnoreList {
 public:
  IgnoreList() {
    fs::path p = fs::path(vectors_dir()) / "protocol-tests-ignore-list.json";
    if (!fs::exists(p)) return;
    auto root = read_json_file(p).as_object();
    for (const auto& dir : {"input", "output"}) {
      if (auto* g = root["general"].as_object().if_contains(dir))
        for (const auto& s : g->as_object().at("suites").as_array())
          suites_.insert(std::string(dir) + "|" + std::string(s.as_string()));
    }
    for (const auto& [proto, v] : root["protocols"].as_object())
      for (const auto& [dir, d] : v.as_object())
        for (const auto& c : d.as_object().at("cases").as_array())
          cases_.insert(std::string(proto) + "|" + std::string(dir) + "|" +
                        std::string(c.as_string()));
  }
  bool ignored(const std::string& stem, bool input, const std::string& description,
               const std::string& id) const {
    std::string dir = input ? "input" : "output";
    if (suites_.count(dir + "|" + description)) return true;
    std::string proto = stem.rfind("smithy-rpc-v2-cbor", 0) == 0 ? "smithy-rpc-v2-cbor" : stem;
    return cases_.count(proto + "|" + dir + "|" + id) > 0;
  }

 private:
  std::set<std::string> suites_, cases_;
};

inline void load_file(const fs::path& p, const std::string& stem, bool input, bool legacy,
                      const IgnoreList& ignore, std::vector<VectorCase>& out,
                      std::set<std::string>& names) {
  if (!fs::exists(p)) return;
  auto suites = read_json_file(p).as_array();
  for (size_t si = 0; si < suites.size(); ++si) {
    auto suite = std::make_shared<bj::object>(suites[si].as_object());
    bj::array cases = (*suite)["cases"].as_array();
    suite->erase("cases");
    for (size_t ci = 0; ci < cases.size(); ++ci) {
      VectorCase vc;
      vc.protocol = stem;
      vc.input = input;
      vc.legacy = legacy;
      vc.suite = suite;
      vc.c = cases[ci].as_object();
      vc.id = legacy ? std::to_string(si) + "." + std::to_string(ci) : str_of(vc.c, "id");
      std::string base =
          safe_name((legacy ? "legacy_" : "") + stem + (input ? "_in_" : "_out_") + vc.id);
      vc.name = base;
      for (int k = 2; names.count(vc.name); ++k) vc.name = base + "_" + std::to_string(k);
      names.insert(vc.name);
      // NIMBUS_RUN_IGNORED=1 runs botocore's ignored cases too, to see which pass anyway.
      static const bool run_ignored = std::getenv("NIMBUS_RUN_IGNORED") != nullptr;
      if (!run_ignored && ignore.ignored(stem, input, str_of(*suite, "description"), vc.id))
        vc.skip = "botocore ignore list";
      else
        vc.skip = not_reversible(stem, legacy, input, vc.id, *suite, vc.c);
      out.push_back(std::move(vc));
    }
  }
}

inline std::vector<VectorCase> load_vector_cases() {
  std::vector<VectorCase> out;
  std::set<std::string> names;
  if (!fs::exists(vectors_dir())) {
    VectorCase missing;
    missing.name = "vectors_missing";
    missing.skip = "NIMBUS_VECTORS_DIR has no protocols/ folder";
    out.push_back(std::move(missing));
    return out;
  }
  IgnoreList ignore;
  for (bool legacy : {false, true})
    for (bool input : {true, false})
      for (const auto& stem : json_family_stems()) {
        fs::path p = fs::path(vectors_dir()) / (legacy ? "legacy" : "") /
                     (input ? "input" : "output") / (stem + ".json");
        load_file(p, stem, input, legacy, ignore, out, names);
      }
  return out;
}

// Legacy vectors put "payload" on the operation's input/output reference and "location"
// on the target shape; the SDK models (and nimbus's loader) carry them on the structure and
// on the member reference. Move them there.
inline void modernize(bj::object& shapes, bj::object& given) {
  for (const char* io : {"input", "output"}) {
    auto* ref = given.if_contains(io);
    if (!ref || !ref->is_object() || !ref->as_object().contains("payload")) continue;
    auto* target = shapes.if_contains(str_of(ref->as_object(), "shape"));
    if (target && !target->as_object().contains("payload"))
      target->as_object()["payload"] = ref->as_object()["payload"];
  }
  for (auto& [name, shape] : shapes) {
    auto* members = shape.as_object().if_contains("members");
    if (!members) continue;
    for (auto& [mname, mref] : members->as_object()) {
      auto& r = mref.as_object();
      auto* target = shapes.if_contains(str_of(r, "shape"));
      if (!target || r.contains("location")) continue;
      const auto& t = target->as_object();
      if (!t.contains("location")) continue;
      r["location"] = t.at("location");
      if (!r.contains("locationName") && t.contains("locationName"))
        r["locationName"] = t.at("locationName");
    }
  }
}

inline std::shared_ptr<ServiceModel> model_of(const VectorCase& vc) {
  bj::object root;
  root["metadata"] = vc.suite->at("metadata");
  bj::object shapes =
      vc.suite->contains("shapes") ? vc.suite->at("shapes").as_object() : bj::object();
  bj::object given = vc.c.at("given").as_object();
  modernize(shapes, given);
  root["shapes"] = std::move(shapes);
  bj::object ops;
  ops[str_of(given, "name")] = given;
  root["operations"] = std::move(ops);
  return ServiceModel::load(root);
}

inline const Codec& codec_of(const ServiceModel& m) {
  const std::string& p = m.metadata().protocol;
  if (p == "rest-json") return rest_json_codec();
  if (p == "smithy-rpc-v2-cbor") return cbor_codec();
  return json_codec();
}

}  // namespace nimbus::protocol::testing
