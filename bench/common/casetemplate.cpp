#include "casetemplate.h"

#include <chrono>
#include <utility>

namespace gd::bench {

core::CaseCommand benchCommand(core::CaseAction action, core::TimePoint at, core::CaseDetails details)
{
  core::CaseCommand c;
  c.action = action;
  c.actor = "bench";
  c.at = at;
  c.details = std::move(details);
  if (action == core::CaseAction::Park || action == core::CaseAction::Void || action == core::CaseAction::Return)
    c.note = "bench";
  return c;
}

CaseTemplate mainPathTemplate(const core::Workflow &workflow, int steps)
{
  using A = core::CaseAction;
  const core::TimePoint t = core::beijingTime(2026, 1, 5, 9, 0);
  const std::vector<std::pair<A, int>> path = {{A::Register, 5},       {A::Accept, 30},        {A::Assign, 60},
                                               {A::StartHandling, 90}, {A::Feedback, 60 * 24}, {A::Close, 60 * 26},
                                               {A::Visit, 60 * 48},    {A::Archive, 60 * 50}};
  core::Case c("620902-20260105-000001");
  auto apply = [&](const core::CaseCommand &command) {
    core::CaseEvent e = workflow.apply(c, command);
    e.caseNumber = c.number();
    c.apply(e);
  };
  apply(benchCommand(A::Report, t,
                     {.category = "0301",
                      .lon = 98.5,
                      .lat = 39.7,
                      .grid = "620902001001001001",
                      .title = "bench",
                      .source = "patrol",
                      .address = "bench address"}));
  for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(steps) && i < path.size(); ++i)
  {
    core::CaseDetails data;
    if (path[i].first == A::Assign)
      data = {.lead = "fire", .worker = "worker-1"};
    if (path[i].first == A::Visit)
      data = {.satisfaction = core::Satisfaction::Satisfied};
    apply(benchCommand(path[i].first, t + std::chrono::minutes(path[i].second), data));
  }
  return {c.events(), t};
}

} // namespace gd::bench
