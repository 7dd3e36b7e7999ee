// SSM's tables and their SQL: the head of each parameter (its latest version), every
// version kept (at most 100), labels (unique per parameter, each on one version) and
// tags. Plain SQL that PostgreSQL also accepts (DESIGN.md, Storage).
#include "services/ssm/parameter.h"

#include "store/database.h"

namespace nimbus::ssm {
namespace {

constexpr const char* kVersionColumns =
    "v.name, v.version, v.type, v.value, v.key_id, v.description, v.allowed_pattern, "
    "v.data_type, v.tier, v.last_modified_user, v.last_modified";

ParameterVersion read_version(store::Statement& st) {
  ParameterVersion p;
  p.name = st.column_text(0);
  p.version = st.column_int64(1);
  p.type = st.column_text(2);
  p.value = st.column_blob(3);
  p.key_id = st.column_text(4);
  p.description = st.column_text(5);
  p.allowed_pattern = st.column_text(6);
  p.data_type = st.column_text(7);
  p.tier = st.column_text(8);
  p.last_modified_user = st.column_text(9);
  p.last_modified = st.column_double(10);
  return p;
}

std::optional<ParameterVersion> one(store::Statement& st) {
  if (!st.step()) return std::nullopt;
  return read_version(st);
}

}  // namespace

void migrate(store::Database& db) {
  db.migrate("ssm", {R"(
CREATE TABLE ssm_parameters (
  account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (account, region, name));
CREATE TABLE ssm_parameter_versions (
  account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
  type TEXT NOT NULL, value BLOB NOT NULL, key_id TEXT NOT NULL, description TEXT NOT NULL,
  allowed_pattern TEXT NOT NULL, data_type TEXT NOT NULL, tier TEXT NOT NULL,
  last_modified_user TEXT NOT NULL, last_modified REAL NOT NULL,
  PRIMARY KEY (account, region, name, version));
CREATE TABLE ssm_parameter_labels (
  account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (account, region, name, label));
CREATE TABLE ssm_tags (
  account TEXT NOT NULL, region TEXT NOT NULL, resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,
  PRIMARY KEY (account, region, resource_type, resource_id, tag_key));
)"});
}

void erase_everything(store::Database& db) {
  store::Transaction tx(db);
  tx.exec(
      "DELETE FROM ssm_parameters; DELETE FROM ssm_parameter_versions;"
      " DELETE FROM ssm_parameter_labels; DELETE FROM ssm_tags;");
  tx.commit();
}

std::optional<ParameterVersion> load_latest(store::Session& s, const Scope& scope,
                                            std::string_view name) {
  auto st = s.prepare(std::string("SELECT ") + kVersionColumns +
                      " FROM ssm_parameters p JOIN ssm_parameter_versions v"
                      " ON v.account = p.account AND v.region = p.region AND v.name = p.name"
                      " AND v.version = p.version"
                      " WHERE p.account = ? AND p.region = ? AND p.name = ?");
  st.bind_all(scope.account, scope.region, name);
  return one(st);
}

std::optional<ParameterVersion> load_version(store::Session& s, const Scope& scope,
                                             std::string_view name, int64_t version) {
  auto st = s.prepare(std::string("SELECT ") + kVersionColumns +
                      " FROM ssm_parameter_versions v"
                      " WHERE v.account = ? AND v.region = ? AND v.name = ? AND v.version = ?");
  st.bind_all(scope.account, scope.region, name, version);
  return one(st);
}

std::optional<ParameterVersion> load_labelled(store::Session& s, const Scope& scope,
                                              std::string_view name, std::string_view label) {
  auto st = s.prepare(std::string("SELECT ") + kVersionColumns +
                      " FROM ssm_parameter_labels l JOIN ssm_parameter_versions v"
                      " ON v.account = l.account AND v.region = l.region AND v.name = l.name"
                      " AND v.version = l.version"
                      " WHERE l.account = ? AND l.region = ? AND l.name = ? AND l.label = ?");
  st.bind_all(scope.account, scope.region, name, label);
  return one(st);
}

std::vector<std::string> labels_of(store::Session& s, const Scope& scope, std::string_view name,
                                   int64_t version) {
  auto st = s.prepare(
      "SELECT label FROM ssm_parameter_labels"
      " WHERE account = ? AND region = ? AND name = ? AND version = ? ORDER BY label");
  st.bind_all(scope.account, scope.region, name, version);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

std::vector<ParameterVersion> load_history(store::Session& s, const Scope& scope,
                                           std::string_view name) {
  std::vector<ParameterVersion> out;
  {
    auto st = s.prepare(std::string("SELECT ") + kVersionColumns +
                        " FROM ssm_parameter_versions v"
                        " WHERE v.account = ? AND v.region = ? AND v.name = ?"
                        " ORDER BY v.version");
    st.bind_all(scope.account, scope.region, name);
    while (st.step()) out.push_back(read_version(st));
  }
  for (auto& p : out) p.labels = labels_of(s, scope, name, p.version);
  return out;
}

void for_each_latest(store::Session& s, const Scope& scope, std::string_view after,
                     const std::function<bool(ParameterVersion&&)>& visit) {
  auto st = s.prepare(std::string("SELECT ") + kVersionColumns +
                      " FROM ssm_parameters p JOIN ssm_parameter_versions v"
                      " ON v.account = p.account AND v.region = p.region AND v.name = p.name"
                      " AND v.version = p.version"
                      " WHERE p.account = ? AND p.region = ? AND p.name > ? ORDER BY p.name");
  st.bind_all(scope.account, scope.region, after);
  while (st.step())
    if (!visit(read_version(st))) return;
}

int64_t count_in_tier(store::Session& s, const Scope& scope, std::string_view tier) {
  auto st = s.prepare(
      "SELECT count(*) FROM ssm_parameters p JOIN ssm_parameter_versions v"
      " ON v.account = p.account AND v.region = p.region AND v.name = p.name"
      " AND v.version = p.version WHERE p.account = ? AND p.region = ? AND v.tier = ?");
  st.bind_all(scope.account, scope.region, tier);
  return st.step() ? st.column_int64(0) : 0;
}

int64_t count_versions(store::Session& s, const Scope& scope, std::string_view name) {
  auto st = s.prepare(
      "SELECT count(*) FROM ssm_parameter_versions WHERE account = ? AND region = ? AND name = ?");
  st.bind_all(scope.account, scope.region, name);
  return st.step() ? st.column_int64(0) : 0;
}

int64_t oldest_version(store::Session& s, const Scope& scope, std::string_view name) {
  auto st = s.prepare(
      "SELECT min(version) FROM ssm_parameter_versions"
      " WHERE account = ? AND region = ? AND name = ?");
  st.bind_all(scope.account, scope.region, name);
  return st.step() && !st.column_is_null(0) ? st.column_int64(0) : 0;
}

void insert_version(store::Session& tx, const Scope& scope, const ParameterVersion& p) {
  auto ins = tx.prepare(
      "INSERT INTO ssm_parameter_versions (account, region, name, version, type, value, key_id,"
      " description, allowed_pattern, data_type, tier, last_modified_user, last_modified)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(scope.account, scope.region, p.name, p.version, p.type, p.value, p.key_id,
               p.description, p.allowed_pattern, p.data_type, p.tier, p.last_modified_user,
               p.last_modified);
  ins.bind_blob(6, p.value);
  ins.exec();
  auto head = tx.prepare(
      "INSERT INTO ssm_parameters (account, region, name, version) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (account, region, name) DO UPDATE SET version = excluded.version");
  head.bind_all(scope.account, scope.region, p.name, p.version);
  head.exec();
}

void delete_version(store::Session& tx, const Scope& scope, std::string_view name,
                    int64_t version) {
  auto st = tx.prepare(
      "DELETE FROM ssm_parameter_versions"
      " WHERE account = ? AND region = ? AND name = ? AND version = ?");
  st.bind_all(scope.account, scope.region, name, version);
  st.exec();
}

void erase_parameter(store::Session& tx, const Scope& scope, std::string_view name) {
  for (const char* sql : {"DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND name = ?",
                          "DELETE FROM ssm_parameter_versions"
                          " WHERE account = ? AND region = ? AND name = ?",
                          "DELETE FROM ssm_parameter_labels"
                          " WHERE account = ? AND region = ? AND name = ?"}) {
    auto st = tx.prepare(sql);
    st.bind_all(scope.account, scope.region, name);
    st.exec();
  }
  auto tags = tx.prepare(
      "DELETE FROM ssm_tags WHERE account = ? AND region = ? AND resource_type = 'Parameter'"
      " AND resource_id = ?");
  tags.bind_all(scope.account, scope.region, name);
  tags.exec();
}

void attach_label(store::Session& tx, const Scope& scope, std::string_view name,
                  std::string_view label, int64_t version) {
  auto st = tx.prepare(
      "INSERT INTO ssm_parameter_labels (account, region, name, label, version)"
      " VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (account, region, name, label) DO UPDATE SET version = excluded.version");
  st.bind_all(scope.account, scope.region, name, label, version);
  st.exec();
}

void detach_label(store::Session& tx, const Scope& scope, std::string_view name,
                  std::string_view label) {
  auto st = tx.prepare(
      "DELETE FROM ssm_parameter_labels WHERE account = ? AND region = ? AND name = ? AND label = ?");
  st.bind_all(scope.account, scope.region, name, label);
  st.exec();
}

Tags tags_of(store::Session& s, const Scope& scope, std::string_view resource_type,
             std::string_view resource_id) {
  auto st = s.prepare(
      "SELECT tag_key, tag_value FROM ssm_tags WHERE account = ? AND region = ?"
      " AND resource_type = ? AND resource_id = ? ORDER BY tag_key");
  st.bind_all(scope.account, scope.region, resource_type, resource_id);
  Tags out;
  while (st.step()) out.emplace_back(st.column_text(0), st.column_text(1));
  return out;
}

void put_tag(store::Session& tx, const Scope& scope, std::string_view resource_type,
             std::string_view resource_id, std::string_view key, std::string_view value) {
  auto st = tx.prepare(
      "INSERT INTO ssm_tags (account, region, resource_type, resource_id, tag_key, tag_value)"
      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, resource_type, resource_id,"
      " tag_key) DO UPDATE SET tag_value = excluded.tag_value");
  st.bind_all(scope.account, scope.region, resource_type, resource_id, key, value);
  st.exec();
}

void remove_tag(store::Session& tx, const Scope& scope, std::string_view resource_type,
                std::string_view resource_id, std::string_view key) {
  auto st = tx.prepare(
      "DELETE FROM ssm_tags WHERE account = ? AND region = ? AND resource_type = ?"
      " AND resource_id = ? AND tag_key = ?");
  st.bind_all(scope.account, scope.region, resource_type, resource_id, key);
  st.exec();
}

}  // namespace nimbus::ssm
