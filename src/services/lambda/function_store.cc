// SQL for Lambda's tables (see function_store.h). Portable SQL; documents are JSON text.
#include "services/lambda/function_store.h"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace nimbus::lambda {
namespace {

Document parse_doc(const std::string& text) {
  if (text.empty()) return {};
  boost::json::value v = boost::json::parse(text);
  return v.is_object() ? v.get_object() : Document{};
}

FunctionVersion version_row(store::Statement& st) {
  return FunctionVersion{st.column_text(0), st.column_text(1), parse_doc(st.column_text(2)),
                         st.column_text(3)};
}

// Numbered versions sort numerically after $LATEST.
int64_t version_rank(const std::string& v) { return v == kLatest ? -1 : std::stoll(v); }

}  // namespace

void migrate(store::Database& db) {
  db.migrate("lambda", {R"(
    CREATE TABLE lambda_functions (
      account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
      last_version INTEGER NOT NULL, policy TEXT NOT NULL, tags TEXT NOT NULL,
      reserved_concurrency INTEGER,
      PRIMARY KEY (account, region, name));
    CREATE TABLE lambda_versions (
      account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
      config TEXT NOT NULL, code_blob TEXT NOT NULL, code_size INTEGER NOT NULL,
      PRIMARY KEY (account, region, name, version));
    CREATE TABLE lambda_aliases (
      account TEXT NOT NULL, region TEXT NOT NULL, function_name TEXT NOT NULL,
      alias TEXT NOT NULL, config TEXT NOT NULL,
      PRIMARY KEY (account, region, function_name, alias));
  )"});
  db.add_blob_references("SELECT code_blob FROM lambda_versions");
}

void erase_everything(store::Database& db) {
  store::Transaction tx(db);
  tx.exec("DELETE FROM lambda_functions; DELETE FROM lambda_versions; DELETE FROM lambda_aliases;");
  tx.commit();
}

std::optional<FunctionMeta> find_meta(store::Session& s, const Scope& sc, std::string_view name) {
  auto st = s.prepare(
      "SELECT name, last_version, policy, tags, reserved_concurrency FROM lambda_functions "
      "WHERE account = ? AND region = ? AND name = ?");
  st.bind_all(sc.account, sc.region, name);
  if (!st.step()) return std::nullopt;
  return FunctionMeta{st.column_text(0), st.column_int64(1), st.column_text(2),
                      parse_doc(st.column_text(3)), st.column_optional_int64(4)};
}

void put_meta(store::Transaction& tx, const Scope& sc, const FunctionMeta& m) {
  tx.prepare("DELETE FROM lambda_functions WHERE account = ? AND region = ? AND name = ?")
      .bind_all(sc.account, sc.region, m.name)
      .exec();
  tx.prepare("INSERT INTO lambda_functions VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(sc.account, sc.region, m.name, m.last_version, m.policy, to_json(m.tags),
                m.reserved_concurrency)
      .exec();
}

std::optional<FunctionVersion> find_version(store::Session& s, const Scope& sc,
                                            std::string_view name, std::string_view version) {
  auto st = s.prepare(
      "SELECT name, version, config, code_blob FROM lambda_versions "
      "WHERE account = ? AND region = ? AND name = ? AND version = ?");
  st.bind_all(sc.account, sc.region, name, version);
  if (!st.step()) return std::nullopt;
  return version_row(st);
}

std::vector<FunctionVersion> list_versions(store::Session& s, const Scope& sc, std::string_view name) {
  auto st = s.prepare(
      "SELECT name, version, config, code_blob FROM lambda_versions "
      "WHERE account = ? AND region = ? AND name = ?");
  st.bind_all(sc.account, sc.region, name);
  std::vector<FunctionVersion> out;
  while (st.step()) out.push_back(version_row(st));
  std::sort(out.begin(), out.end(), [](const FunctionVersion& a, const FunctionVersion& b) {
    return version_rank(a.version) < version_rank(b.version);
  });
  return out;
}

std::vector<FunctionVersion> list_functions(store::Session& s, const Scope& sc,
                                            std::string_view after, size_t limit) {
  auto st = s.prepare(
      "SELECT name, version, config, code_blob FROM lambda_versions "
      "WHERE account = ? AND region = ? AND version = ? AND name > ? ORDER BY name LIMIT ?");
  st.bind_all(sc.account, sc.region, kLatest, after, static_cast<int64_t>(limit));
  std::vector<FunctionVersion> out;
  while (st.step()) out.push_back(version_row(st));
  return out;
}

void put_version(store::Transaction& tx, const Scope& sc, const FunctionVersion& v) {
  tx.prepare("DELETE FROM lambda_versions WHERE account = ? AND region = ? AND name = ? AND version = ?")
      .bind_all(sc.account, sc.region, v.name, v.version)
      .exec();
  int64_t size = 0;
  if (auto* cs = v.config.if_contains("CodeSize"); cs && cs->is_number()) size = cs->to_number<int64_t>();
  tx.prepare("INSERT INTO lambda_versions VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(sc.account, sc.region, v.name, v.version, to_json(v.config), v.code_blob, size)
      .exec();
}

int64_t total_code_size(store::Session& s, const Scope& sc) {
  auto st = s.prepare("SELECT COALESCE(SUM(code_size), 0) FROM lambda_versions WHERE account = ? AND region = ?");
  st.bind_all(sc.account, sc.region);
  return st.step() ? st.column_int64(0) : 0;
}

bool blob_referenced(store::Session& s, std::string_view blob) {
  auto st = s.prepare("SELECT 1 FROM lambda_versions WHERE code_blob = ? LIMIT 1");
  st.bind(1, blob);
  return st.step();
}

std::vector<std::string> delete_function(store::Transaction& tx, const Scope& sc,
                                         std::string_view name, std::string_view version) {
  std::vector<std::string> blobs;
  for (const auto& v : list_versions(tx, sc, name))
    if (version.empty() || v.version == version) blobs.push_back(v.code_blob);
  if (version.empty()) {
    tx.prepare("DELETE FROM lambda_versions WHERE account = ? AND region = ? AND name = ?")
        .bind_all(sc.account, sc.region, name).exec();
    tx.prepare("DELETE FROM lambda_aliases WHERE account = ? AND region = ? AND function_name = ?")
        .bind_all(sc.account, sc.region, name).exec();
    tx.prepare("DELETE FROM lambda_functions WHERE account = ? AND region = ? AND name = ?")
        .bind_all(sc.account, sc.region, name).exec();
  } else {
    tx.prepare("DELETE FROM lambda_versions WHERE account = ? AND region = ? AND name = ? AND version = ?")
        .bind_all(sc.account, sc.region, name, version).exec();
  }
  std::vector<std::string> unreferenced;
  for (const auto& b : blobs)
    if (!blob_referenced(tx, b) &&
        std::find(unreferenced.begin(), unreferenced.end(), b) == unreferenced.end())
      unreferenced.push_back(b);
  return unreferenced;
}

std::optional<Alias> find_alias(store::Session& s, const Scope& sc, std::string_view function,
                                std::string_view alias) {
  auto st = s.prepare(
      "SELECT function_name, alias, config FROM lambda_aliases "
      "WHERE account = ? AND region = ? AND function_name = ? AND alias = ?");
  st.bind_all(sc.account, sc.region, function, alias);
  if (!st.step()) return std::nullopt;
  return Alias{st.column_text(0), st.column_text(1), parse_doc(st.column_text(2))};
}

std::vector<Alias> list_aliases(store::Session& s, const Scope& sc, std::string_view function) {
  auto st = s.prepare(
      "SELECT function_name, alias, config FROM lambda_aliases "
      "WHERE account = ? AND region = ? AND function_name = ? ORDER BY alias");
  st.bind_all(sc.account, sc.region, function);
  std::vector<Alias> out;
  while (st.step()) out.push_back(Alias{st.column_text(0), st.column_text(1), parse_doc(st.column_text(2))});
  return out;
}

void put_alias(store::Transaction& tx, const Scope& sc, const Alias& a) {
  delete_alias(tx, sc, a.function, a.name);
  tx.prepare("INSERT INTO lambda_aliases VALUES (?, ?, ?, ?, ?)")
      .bind_all(sc.account, sc.region, a.function, a.name, to_json(a.config))
      .exec();
}

void delete_alias(store::Transaction& tx, const Scope& sc, std::string_view function,
                  std::string_view alias) {
  tx.prepare("DELETE FROM lambda_aliases WHERE account = ? AND region = ? AND function_name = ? AND alias = ?")
      .bind_all(sc.account, sc.region, function, alias)
      .exec();
}

}  // namespace nimbus::lambda
