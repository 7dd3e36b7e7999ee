// The nimbus CLI: `serve` (the cloud), `coverage` (operations implemented per service),
// `version`. Every serve flag also reads from a NIMBUS_* environment variable.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auth/credentials.h"
#include "core/config.h"
#include "core/events.h"
#include "core/identity.h"
#include "core/log.h"
#include "core/timers.h"
#include "http/pipeline.h"
#include "http/server.h"
#include "protocol/model.h"
#include "services/service.h"
#include "store/store.h"

#ifndef NIMBUS_VERSION
#define NIMBUS_VERSION "0.0.0"
#endif

namespace {
using nimbus::Config;

const char* kUsage =
    "usage: nimbus <command> [flags]\n"
    "commands:\n"
    "  serve      run the cloud (default)\n"
    "  coverage   print the operations implemented per service [--markdown]\n"
    "  version    print the version\n"
    "serve flags (each also read from NIMBUS_<NAME>, e.g. NIMBUS_PORT):\n"
    "  --host H              address to listen on (127.0.0.1)\n"
    "  --port N              port (4566; 0 picks a free one)\n"
    "  --data-dir D          where state lives (./.nimbus)\n"
    "  --in-memory           keep no state on disk\n"
    "  --auth MODE           permissive (default) or strict\n"
    "  --region R            default region (us-east-1)\n"
    "  --default-account A   account of the root key test/test (000000000000)\n"
    "  --log-level L         debug, info, warn, error, off (info)\n"
    "  --threads N           server threads (one per core)\n"
    "  --instance-role R     IAM role whose credentials the instance-metadata endpoint\n"
    "                        (/latest/meta-data/iam/security-credentials/) hands out\n"
    "  --debug-endpoints     enable /_nimbus/debug/* (protocol round-trip tests)\n";

struct ServeOptions {
  Config config;
  bool debug_endpoints = false;
};

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
}

// Reads NIMBUS_* first, then flags, so that flags win.
bool parse_serve(int argc, char** argv, int start, ServeOptions& o) {
  Config& c = o.config;
  auto env = [](const char* n, std::string& dst) {
    if (const char* v = std::getenv(n)) dst = v;
  };
  std::string port = std::to_string(c.port), auth = "permissive", threads = "0";
  env("NIMBUS_HOST", c.host);
  env("NIMBUS_PORT", port);
  env("NIMBUS_DATA_DIR", c.data_dir);
  env("NIMBUS_AUTH", auth);
  env("NIMBUS_REGION", c.region);
  env("NIMBUS_DEFAULT_ACCOUNT", c.default_account);
  env("NIMBUS_LOG_LEVEL", c.log_level);
  env("NIMBUS_THREADS", threads);
  env("NIMBUS_INSTANCE_ROLE", c.instance_role);
  c.in_memory = env_flag("NIMBUS_IN_MEMORY");
  o.debug_endpoints = env_flag("NIMBUS_DEBUG_ENDPOINTS");
  for (int i = start; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string& dst) {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      dst = argv[++i];
    };
    if (a == "--host") value(c.host);
    else if (a == "--port") value(port);
    else if (a == "--data-dir") value(c.data_dir);
    else if (a == "--in-memory") c.in_memory = true;
    else if (a == "--auth") value(auth);
    else if (a == "--region") value(c.region);
    else if (a == "--default-account") value(c.default_account);
    else if (a == "--log-level") value(c.log_level);
    else if (a == "--threads") value(threads);
    else if (a == "--instance-role") value(c.instance_role);
    else if (a == "--debug-endpoints") o.debug_endpoints = true;
    else if (a == "--help" || a == "-h") { std::fputs(kUsage, stdout); std::exit(0); }
    else throw std::runtime_error("unknown flag " + a);
  }
  c.port = std::stoi(port);
  c.threads = std::stoi(threads);
  if (auth == "permissive") c.auth = nimbus::AuthMode::Permissive;
  else if (auth == "strict") c.auth = nimbus::AuthMode::Strict;
  else throw std::runtime_error("--auth must be permissive or strict");
  if (c.default_account.size() != 12 ||
      c.default_account.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("--default-account must be 12 digits");
  if (!nimbus::log::set_level(c.log_level)) throw std::runtime_error("unknown --log-level " + c.log_level);
  return true;
}

// Large request bodies spill next to the blobs, so that S3 can adopt them by rename.
std::string spill_dir(const Config& c) {
  std::filesystem::path dir = c.in_memory ? std::filesystem::temp_directory_path()
                                          : std::filesystem::path(c.data_dir) / "tmp";
  // Spilled bodies belong to requests; any left from a crash are garbage.
  if (!c.in_memory) std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

int serve(const ServeOptions& o) {
  const Config& c = o.config;
  auto store = nimbus::store::Store::open(c);
  nimbus::CredentialRegistry credentials;
  credentials.add(std::make_shared<nimbus::auth::RootCredentialStore>(c.default_account));
  nimbus::Env env;
  env.config = &c;
  env.db = &store->db();
  env.blobs = &store->blobs();
  env.credentials = &credentials;

  nimbus::ServiceRegistry registry;
  nimbus::register_all_services(registry);
  registry.check_against_models();
  nimbus::set_event_sink([&registry](const std::string& arn, const std::string& payload) {
    return registry.deliver_event(nimbus::EventDelivery{arn, payload});
  });
  registry.start_all(env);
  // After services registered their blob references: drop orphans of a crash.
  store->sweep();

  nimbus::http::Pipeline pipeline(c, registry, env, o.debug_endpoints);
  nimbus::http::ServerOptions so;
  so.host = c.host;
  so.port = c.port;
  so.threads = c.threads;
  so.spill_dir = spill_dir(c);
  nimbus::http::Server server(so, [&pipeline](nimbus::HttpRequest&& req, nimbus::http::Responder r) {
    pipeline.handle(std::move(req), std::move(r));
  });
  server.listen();
  std::fprintf(stderr, "nimbus %s ready on http://%s:%d (%s, auth %s)\n", NIMBUS_VERSION,
               c.host.c_str(), server.port(), c.in_memory ? "in memory" : c.data_dir.c_str(),
               c.auth == nimbus::AuthMode::Strict ? "strict" : "permissive");
  server.run();
  registry.stop_all();
  nimbus::set_event_sink(nullptr);
  nimbus::Timers::instance().shutdown();
  store->close();
  nimbus::log::info("nimbus stopped");
  return 0;
}

int coverage(bool markdown) {
  nimbus::ServiceRegistry registry;
  nimbus::register_all_services(registry);
  size_t total_ops = 0, total_impl = 0;
  if (markdown) std::puts("| service | protocol | implemented | operations |\n|---|---|---:|---:|");
  for (const auto& name : nimbus::protocol::embedded_services()) {
    auto model = nimbus::protocol::embedded_model(name);
    size_t ops = model->operations().size();
    size_t impl = registry.implemented(name).size();
    total_ops += ops;
    total_impl += impl;
    if (markdown)
      std::printf("| %s | %s | %zu | %zu |\n", name.c_str(), model->metadata().protocol.c_str(), impl, ops);
    else
      std::printf("%-18s %-20s %4zu / %4zu\n", name.c_str(), model->metadata().protocol.c_str(), impl, ops);
  }
  if (markdown) std::printf("| **total** | | %zu | %zu |\n", total_impl, total_ops);
  else std::printf("%-18s %-20s %4zu / %4zu\n", "total", "", total_impl, total_ops);
  if (!markdown) return 0;
  // The operations each service answers; every other one answers NotImplemented.
  for (const auto& name : registry.names()) {
    auto ops = registry.implemented(name);
    std::sort(ops.begin(), ops.end());
    std::printf("\n### %s\n\n", name.c_str());
    for (size_t i = 0; i < ops.size(); ++i) std::printf("%s%s", i ? ", " : "", ops[i].c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "serve";
  int start = 2;
  if (!cmd.empty() && cmd[0] == '-') {
    cmd = "serve";
    start = 1;
  }
  try {
    if (cmd == "version" || cmd == "--version") {
      std::printf("nimbus %s\n", NIMBUS_VERSION);
      return 0;
    }
    if (cmd == "coverage") return coverage(argc > 2 && std::strcmp(argv[2], "--markdown") == 0);
    if (cmd == "serve") {
      ServeOptions o;
      parse_serve(argc, argv, start, o);
      return serve(o);
    }
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "nimbus: unknown command %s\n%s", cmd.c_str(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nimbus: %s\n", e.what());
    return 1;
  }
}
