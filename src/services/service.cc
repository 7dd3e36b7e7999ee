// The service registry.
#include "services/service.h"

#include <algorithm>
#include <stdexcept>

#include "protocol/model.h"

namespace nimbus {

void ServiceRegistry::add(std::unique_ptr<Service> service) {
  std::string name(service->name());
  Entry e;
  e.handlers = service->operations();
  e.async_handlers = service->async_operations();
  e.service = std::move(service);
  services_[name] = std::move(e);
}

void ServiceRegistry::check_against_models() const {
  for (const auto& [name, e] : services_) {
    auto services = protocol::embedded_services();
    if (std::find(services.begin(), services.end(), name) == services.end())
      throw std::runtime_error("service " + name + " has no embedded model");
    auto check = [&](const std::string& op) {
      if (!protocol::embedded_model_has_operation(name, op))
        throw std::runtime_error("service " + name + " registers " + op +
                                 ", which its model does not have");
    };
    for (const auto& [op, h] : e.handlers) check(op);
    for (const auto& [op, h] : e.async_handlers) check(op);
  }
}

Service* ServiceRegistry::find(std::string_view service) const {
  auto it = services_.find(service);
  return it == services_.end() ? nullptr : it->second.service.get();
}

const Handler* ServiceRegistry::find_handler(std::string_view service,
                                             std::string_view operation) const {
  auto it = services_.find(service);
  if (it == services_.end()) return nullptr;
  auto h = it->second.handlers.find(operation);
  return h == it->second.handlers.end() ? nullptr : &h->second;
}

const AsyncHandler* ServiceRegistry::find_async_handler(std::string_view service,
                                                       std::string_view operation) const {
  auto it = services_.find(service);
  if (it == services_.end()) return nullptr;
  auto h = it->second.async_handlers.find(operation);
  return h == it->second.async_handlers.end() ? nullptr : &h->second;
}

void ServiceRegistry::start_all(const Env& env) {
  for (auto& [n, e] : services_) e.service->start(env);
}
void ServiceRegistry::reset_all() {
  for (auto& [n, e] : services_) e.service->reset();
}
void ServiceRegistry::stop_all() {
  for (auto& [n, e] : services_) e.service->stop();
}

bool ServiceRegistry::deliver_event(const EventDelivery& event) const {
  // arn:aws:<service>:<region>:<account>:<resource>
  std::string_view arn = event.target_arn;
  if (arn.rfind("arn:aws:", 0) != 0) return false;
  std::string_view rest = arn.substr(8);
  Service* owner = find(rest.substr(0, rest.find(':')));
  return owner && owner->deliver_event(event);
}

std::vector<std::string> ServiceRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, e] : services_) out.push_back(n);
  return out;
}

std::vector<std::string> ServiceRegistry::implemented(std::string_view service) const {
  std::vector<std::string> out;
  auto it = services_.find(service);
  if (it != services_.end())
    for (const auto& [op, h] : it->second.handlers) out.push_back(op);
  if (it != services_.end())
    for (const auto& [op, h] : it->second.async_handlers) out.push_back(op);
  return out;
}

}  // namespace nimbus
