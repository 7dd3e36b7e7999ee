// Every service of this build, registered explicitly (no static self-registration).
#include "services/service.h"
#include "services/sts/sts_service.h"

namespace nimbus {

void register_all_services(ServiceRegistry& registry) {
  registry.add(sts::make_sts_service());
}

}  // namespace nimbus
