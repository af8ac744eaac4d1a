// The store's JSON form of case events (store/caseeventjson.h). Events are hash-chained over
// their stored text and exported, so the typed details must write exactly the bytes the JSON
// bag of earlier versions wrote. The expected texts and chain links below were captured from
// that version (commit a2c6a43) running the same steps.
#include "store/cases/caseeventjson.h"

#include "store/cases/eventchain.h"
#include "store/schema.h"
#include "../storefixture.h"

#include <vector>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using A = core::CaseAction;
using S = core::CaseState;
using json = nlohmann::json;

namespace {

struct ExpectedEvent
{
  const char *stored; //!< case_events.data
  const char *event;  //!< caseEventToJson(event).dump()
  const char *chain;  //!< case_events.chain, hex
};

const ExpectedEvent kExpected[] = {
  {R"js({"address":"肃州区 东关街 12号","category":"0301","description":"三楼 \"消防\" 通道\n堵塞","grid":"620902001001001001","lat":39.74,"lon":98.51,"priority":"urgent","reporter":{"name":"张三","phone":"13800000000"},"source":"hotline","title":"楼道堆放杂物"})js",
   R"js({"action":"report","actor":"operator-1","at":"2026-11-23T09:00:00+08:00","case":"620902-20261123-000001","data":{"address":"肃州区 东关街 12号","category":"0301","description":"三楼 \"消防\" 通道\n堵塞","grid":"620902001001001001","lat":39.74,"lon":98.51,"priority":"urgent","reporter":{"name":"张三","phone":"13800000000"},"source":"hotline","title":"楼道堆放杂物"},"from":"reported","note":"","to":"reported"})js",
   "6890594cd4dc3082f84c9f644acb3f2a9c6378be46a3e4e99884574760b656a8"},
  {R"js({})js",
   R"js({"action":"register","actor":"operator-1","at":"2026-11-23T09:01:00+08:00","case":"620902-20261123-000001","data":{},"from":"reported","note":"","to":"registered"})js",
   "6d8f997200d9f9889a1d4696a9159860f38dfaf9d77e592324b47875f57b04b7"},
  {R"js({})js",
   R"js({"action":"accept","actor":"operator-1","at":"2026-11-23T09:02:00+08:00","case":"620902-20261123-000001","data":{},"from":"registered","note":"","to":"accepted"})js",
   "704ea1a0373f3c9e8a6567aaaea226924cdc0cba8f84c03c5654c19bdbfc7c1a"},
  {R"js({"departments":["fire","police"],"emergency":"EM-20261123-001"})js",
   R"js({"action":"note","actor":"operator-1","at":"2026-11-23T09:03:00+08:00","case":"620902-20261123-000001","data":{"departments":["fire","police"],"emergency":"EM-20261123-001"},"from":"accepted","note":"emergency: dispatched","to":"accepted"})js",
   "3091758bdaff2fad9c016ebe2f79948f307278e3c59c705f82f12436b8e3e300"},
  {R"js({"assisting":["police","housing"],"lead":"fire","worker":"worker-7"})js",
   R"js({"action":"assign","actor":"operator-1","at":"2026-11-23T09:04:00+08:00","case":"620902-20261123-000001","data":{"assisting":["police","housing"],"lead":"fire","worker":"worker-7"},"from":"accepted","note":"","to":"assigned"})js",
   "5cb80a28933f68c278be865f3e96002afce57f63e3a744bd19a6d4e4c0ff95e7"},
  {R"js({"lat":39.7,"lon":98.512345678})js",
   R"js({"action":"arrive","actor":"operator-1","at":"2026-11-23T09:05:00+08:00","case":"620902-20261123-000001","data":{"lat":39.7,"lon":98.512345678},"from":"assigned","note":"","to":"in_handling"})js",
   "5ece34fecd8fa9f577732a89d0406687dc6cd73dc1be8c2262bb9e4c38af706b"},
  {R"js({"occurrence":"handle#1","rule":"escalate_overdue"})js",
   R"js({"action":"supervise","actor":"operator-1","at":"2026-11-23T09:06:00+08:00","case":"620902-20261123-000001","data":{"occurrence":"handle#1","rule":"escalate_overdue"},"from":"in_handling","note":"overdue","to":"in_handling"})js",
   "2fa90ce45f7624a99d5c0b8562eafc4288c3090de3b1dc240ba77a162ca51d1c"},
  {R"js({"deadline":"2026-11-23T19:00:00+08:00"})js",
   R"js({"action":"urge","actor":"operator-1","at":"2026-11-23T09:07:00+08:00","case":"620902-20261123-000001","data":{"deadline":"2026-11-23T19:00:00+08:00"},"from":"in_handling","note":"快","to":"in_handling"})js",
   "fe88d16e5a4a296c7f2a6bcc5b5956f9f8cb51d123b9d3c08e5badf0fd5cb4b7"},
  {R"js({})js",
   R"js({"action":"urge","actor":"operator-1","at":"2026-11-23T09:08:00+08:00","case":"620902-20261123-000001","data":{},"from":"in_handling","note":"","to":"in_handling"})js",
   "77099642266d0f7e57d5b21c94597f4da73c6a8affceb67235efcc044af0d6de"},
  {R"js({})js",
   R"js({"action":"note","actor":"operator-1","at":"2026-11-23T09:09:00+08:00","case":"620902-20261123-000001","data":{},"from":"in_handling","note":"just a note","to":"in_handling"})js",
   "91b0541c91a089b034ddc58f83f5a66d4f88383103523fc111f3b546fa116951"},
  {R"js({"mediation":"success","result":"已清理"})js",
   R"js({"action":"feedback","actor":"operator-1","at":"2026-11-23T09:10:00+08:00","case":"620902-20261123-000001","data":{"mediation":"success","result":"已清理"},"from":"in_handling","note":"","to":"handled"})js",
   "ac708fc8623ff2abf8eb96ae82b9a89723631514c7f2936e06ef59293e6668db"},
  {R"js({})js",
   R"js({"action":"close","actor":"operator-1","at":"2026-11-23T09:11:00+08:00","case":"620902-20261123-000001","data":{},"from":"handled","note":"","to":"closed"})js",
   "d1b21fb9ee9cf54b222e74feaf5b0f4061318d28b45dcd4ad97359d5178f6a02"},
  {R"js({"satisfaction":"unsatisfied"})js",
   R"js({"action":"visit","actor":"operator-1","at":"2026-11-23T09:12:00+08:00","case":"620902-20261123-000001","data":{"satisfaction":"unsatisfied"},"from":"closed","note":"","to":"visited"})js",
   "e1a71115f2a65567ceb23e895a4bf6505fb5687549f614fb30db1a0e0e136925"},
  {R"js({"to":"assigned"})js",
   R"js({"action":"rework","actor":"operator-1","at":"2026-11-23T09:13:00+08:00","case":"620902-20261123-000001","data":{"to":"assigned"},"from":"visited","note":"","to":"assigned"})js",
   "8948dd17fa8157c840438d65b73b098f2200ca2bd64725a5a69045a432ae2854"},
  {R"js({})js",
   R"js({"action":"start_handling","actor":"operator-1","at":"2026-11-23T09:14:00+08:00","case":"620902-20261123-000001","data":{},"from":"assigned","note":"","to":"in_handling"})js",
   "165c052ef8d94a2b5f78ee75b4cacbab17029afa03629993abb969773def0d98"},
  {R"js({})js",
   R"js({"action":"feedback","actor":"operator-1","at":"2026-11-23T09:15:00+08:00","case":"620902-20261123-000001","data":{},"from":"in_handling","note":"","to":"handled"})js",
   "e5521bd56f237a5fe74ae090808c59579d174a88a4d9f0e03a11b5571805e6e3"},
  {R"js({})js",
   R"js({"action":"close","actor":"operator-1","at":"2026-11-23T09:16:00+08:00","case":"620902-20261123-000001","data":{},"from":"handled","note":"","to":"closed"})js",
   "360120b0b062f5071210e6e5758ad1c610963110be464e3334b96eeb7973e1b2"},
  {R"js({"satisfaction":"basically_satisfied"})js",
   R"js({"action":"visit","actor":"operator-1","at":"2026-11-23T09:17:00+08:00","case":"620902-20261123-000001","data":{"satisfaction":"basically_satisfied"},"from":"closed","note":"","to":"visited"})js",
   "db690379c2baee1f780e0d249820354023a2d87cc4c6aa96003506db032aa97a"},
  {R"js({})js",
   R"js({"action":"archive","actor":"operator-1","at":"2026-11-23T09:18:00+08:00","case":"620902-20261123-000001","data":{},"from":"visited","note":"","to":"archived"})js",
   "de76f9976231cbee5944be159c54e1ca8323a8a84f5f50de3c9b1b47dfe5f8dd"},
  {R"js({"address":"","category":"0301","description":"","grid":"620902001001001002","lat":39.75,"lon":98.5,"priority":"normal","reported_by_worker":"worker-9","reporter":{"name":"","phone":"139"},"source":"grid_worker","title":""})js",
   R"js({"action":"report","actor":"operator-1","at":"2026-11-23T09:19:00+08:00","case":"620902-20261123-000002","data":{"address":"","category":"0301","description":"","grid":"620902001001001002","lat":39.75,"lon":98.5,"priority":"normal","reported_by_worker":"worker-9","reporter":{"name":"","phone":"139"},"source":"grid_worker","title":""},"from":"reported","note":"","to":"reported"})js",
   "bec45b14a8a20d7f5d0bd77500ec125d894b34b9510463e8b51afe1db5db979a"},
  {R"js({})js",
   R"js({"action":"register","actor":"operator-1","at":"2026-11-23T09:20:00+08:00","case":"620902-20261123-000002","data":{},"from":"reported","note":"","to":"registered"})js",
   "616e9c4754a8a7df51dc341916709e3349572848ab14b174ae7e53d4b96d8b01"},
  {R"js({})js",
   R"js({"action":"accept","actor":"operator-1","at":"2026-11-23T09:21:00+08:00","case":"620902-20261123-000002","data":{},"from":"registered","note":"","to":"accepted"})js",
   "b7ca8c6fed1bb4ece50108615d7c90c68158ea10c1725a5129f48eb068b90ad3"},
  {R"js({"assisting":[],"emergency":"EM-1","lead":"police"})js",
   R"js({"action":"assign","actor":"operator-1","at":"2026-11-23T09:22:00+08:00","case":"620902-20261123-000002","data":{"assisting":[],"emergency":"EM-1","lead":"police"},"from":"accepted","note":"","to":"assigned"})js",
   "74715eac032852e7030e5586493cd72003ed3f4193e873ba11178957479a7357"},
  {R"js({"previous_lead":"police","previous_worker":""})js",
   R"js({"action":"return","actor":"operator-1","at":"2026-11-23T09:23:00+08:00","case":"620902-20261123-000002","data":{"previous_lead":"police","previous_worker":""},"from":"assigned","note":"not ours","to":"accepted"})js",
   "379a54afd2d9b85dfd9b739159f54cdd691df0dc37761707b4547db16d6019c3"},
  {R"js({"from_grid":"620902001001001002","to_grid":"620902001001001"})js",
   R"js({"action":"escalate","actor":"operator-1","at":"2026-11-23T09:24:00+08:00","case":"620902-20261123-000002","data":{"from_grid":"620902001001001002","to_grid":"620902001001001"},"from":"accepted","note":"too big","to":"accepted"})js",
   "d127b73253d8b9d0ec24add7fd76e99a244ed280ad4eef089a3492a38243d9f2"},
  {R"js({"parked_from":"accepted"})js",
   R"js({"action":"park","actor":"operator-1","at":"2026-11-23T09:25:00+08:00","case":"620902-20261123-000002","data":{"parked_from":"accepted"},"from":"accepted","note":"waiting","to":"parked"})js",
   "af59d5c9e2ffda798f22beb463e4dd24c7ae3c6935e6f3c26fb977e0758cb3c1"},
  {R"js({})js",
   R"js({"action":"resume","actor":"operator-1","at":"2026-11-23T09:26:00+08:00","case":"620902-20261123-000002","data":{},"from":"parked","note":"","to":"accepted"})js",
   "5339375c55b4dbd24fd9fd56bb34ea44f94eec8cc371a0915abed7053d5b0141"},
  {R"js({"amount":2,"approver":"主任王","unit":"wd"})js",
   R"js({"action":"extend","actor":"operator-1","at":"2026-11-23T09:27:00+08:00","case":"620902-20261123-000002","data":{"amount":2,"approver":"主任王","unit":"wd"},"from":"accepted","note":"","to":"accepted"})js",
   "f3cf706e25b519e9e0d13cce705d47609da6966ae6c795f6bf37faab5438c74b"},
  {R"js({"amount":1.5,"approver":"li","unit":"h"})js",
   R"js({"action":"extend","actor":"operator-1","at":"2026-11-23T09:28:00+08:00","case":"620902-20261123-000002","data":{"amount":1.5,"approver":"li","unit":"h"},"from":"accepted","note":"","to":"accepted"})js",
   "1254857c56dd83c849881adefad37969159d55aaa66262144603d7b46e8819f3"},
  {R"js({"absorbed":"620902-20261123-000003","reporters":[{"case":"620902-20261123-000003","name":"李四","phone":"137"}]})js",
   R"js({"action":"merge","actor":"operator-1","at":"2026-11-23T09:31:00+08:00","case":"620902-20261123-000002","data":{"absorbed":"620902-20261123-000003","reporters":[{"case":"620902-20261123-000003","name":"李四","phone":"137"}]},"from":"accepted","note":"same leak","to":"accepted"})js",
   "2b1ebd92b74f88f978937fd0ef096b7417883db83ed45c44aae3cc2051774d8b"},
  {R"js({"category":"0302","grid":"","lat":39.0,"lon":98.0})js",
   R"js({"action":"report","actor":"operator-1","at":"2026-11-23T09:29:00+08:00","case":"000000-20261123-000001","data":{"category":"0302","grid":"","lat":39.0,"lon":98.0},"from":"reported","note":"","to":"reported"})js",
   "9e02de73d7c099870324ee96b6412d11805cc6e7329304b39ef5fc47ce31fd73"},
  {R"js({})js",
   R"js({"action":"register","actor":"operator-1","at":"2026-11-23T09:32:00+08:00","case":"000000-20261123-000001","data":{},"from":"reported","note":"","to":"registered"})js",
   "f02bb69eb856cf1afaff51ec6b27656682da68492562626b9ad6805ddf0bcd37"},
  {R"js({})js",
   R"js({"action":"void","actor":"operator-1","at":"2026-11-23T09:33:00+08:00","case":"000000-20261123-000001","data":{},"from":"registered","note":"duplicate call","to":"voided"})js",
   "857f64dd6b44dd2f3d64eaec339954943c2ddbd13612deac6f0303df336ff265"},
  {R"js({"category":"0301","grid":"620902001001001001","lat":39.74,"lon":98.52,"reporter":{"name":"李四","phone":"137"}})js",
   R"js({"action":"report","actor":"operator-1","at":"2026-11-23T09:30:00+08:00","case":"620902-20261123-000003","data":{"category":"0301","grid":"620902001001001001","lat":39.74,"lon":98.52,"reporter":{"name":"李四","phone":"137"}},"from":"reported","note":"","to":"reported"})js",
   "c29a40fffde643ed0dd8391b24f4fb305c76cc74127c8e028e13320e9f9ce70c"},
  {R"js({"into":"620902-20261123-000002"})js",
   R"js({"action":"merge","actor":"operator-1","at":"2026-11-23T09:31:00+08:00","case":"620902-20261123-000003","data":{"into":"620902-20261123-000002"},"from":"reported","note":"same leak","to":"merged"})js",
   "9dca33fa9b756105e0ebb1f80b78aecff9cd2dc5fe9d1483d5cb192302197746"},
  {R"js({"address":"肃州区 东关街 12号","category":"0301","grid":"620902001001001001","lat":39.74,"lon":98.51,"reporter":{"name":"张三","phone":"13800000000"},"source":"patrol","title":"楼道堆放杂物"})js",
   R"js({"action":"report","actor":"operator-1","at":"2026-11-23T09:34:00+08:00","case":"620902-20261123-000004","data":{"address":"肃州区 东关街 12号","category":"0301","grid":"620902001001001001","lat":39.74,"lon":98.51,"reporter":{"name":"张三","phone":"13800000000"},"source":"patrol","title":"楼道堆放杂物"},"from":"reported","note":"","to":"reported"})js",
   "b26bb76073f198e08653e2f012ca2992685a0e1f6800e317add026d3b1fb2beb"},
  {R"js({})js",
   R"js({"action":"register","actor":"operator-1","at":"2026-11-23T09:34:00+08:00","case":"620902-20261123-000004","data":{},"from":"reported","note":"","to":"registered"})js",
   "a0548930712e6169f24e2563d3bc779d2ff5908f35b928b90ec12bb5fe785684"},
  {R"js({})js",
   R"js({"action":"accept","actor":"operator-1","at":"2026-11-23T09:34:00+08:00","case":"620902-20261123-000004","data":{},"from":"registered","note":"","to":"accepted"})js",
   "dca693a37516810021a3ea18ebd3ab47c43823015d111254a10549b03f6d5558"},
  {R"js({"lead":"fire","worker":"worker-7"})js",
   R"js({"action":"assign","actor":"operator-1","at":"2026-11-23T09:34:00+08:00","case":"620902-20261123-000004","data":{"lead":"fire","worker":"worker-7"},"from":"accepted","note":"","to":"assigned"})js",
   "a0100f64926004fd5ab834bad4eea191efc15971b3a6776db1e59fd540dd652d"},
  {R"js({})js",
   R"js({"action":"start_handling","actor":"operator-1","at":"2026-11-23T09:34:00+08:00","case":"620902-20261123-000004","data":{},"from":"assigned","note":"","to":"in_handling"})js",
   "78c654236784eaeafd7bdc92389fdebbe571f1fe78dd8eed301ab706bb30f142"},
  {R"js({})js",
   R"js({"action":"feedback","actor":"operator-1","at":"2026-11-23T09:34:00+08:00","case":"620902-20261123-000004","data":{},"from":"in_handling","note":"","to":"handled"})js",
   "c064b1f32d308c5fd88c053e5641d96a134e41f7cec1d9bc4de5e7ef93595bbe"},
  {R"js({"to":"in_handling"})js",
   R"js({"action":"rework","actor":"operator-1","at":"2026-11-23T09:35:00+08:00","case":"620902-20261123-000004","data":{"to":"in_handling"},"from":"handled","note":"","to":"in_handling"})js",
   "fbe3f1faf3ebe5a6578318631d222c6650020e34632b85032d1a442ff812b1ca"},
};

class CaseEventJsonTest : public StoreFixture
{
  protected:
    core::CaseCommand typed(A action, core::CaseDetails details = {}, std::string note = {})
    {
      return {action, "operator-1", t0 + std::chrono::minutes(minute++), std::move(note), std::move(details)};
    }

    //! One event of every kind and every detail a producer writes, as today's producers make them
    //! (console, field terminal, supervision rules, emergency dispatch, workflow's own details).
    std::vector<std::string> walkEveryKind()
    {
      using core::CaseDetails;
      using V = std::vector<std::string>;
      // 1: the console's report, walked through the main path, rework and supervision.
      const std::string one = cases->report(typed(A::Report, {.category = "0301",
                                                              .lon = 98.51,
                                                              .lat = 39.74,
                                                              .grid = kMicroA,
                                                              .title = "楼道堆放杂物",
                                                              .description = "三楼 \"消防\" 通道\n堵塞",
                                                              .priority = core::Priority::Urgent,
                                                              .source = "hotline",
                                                              .address = "肃州区 东关街 12号",
                                                              .reporter = core::Reporter{"张三", "13800000000", {}}}));
      const auto step = [&](const std::string &n, A a, CaseDetails d = {}, std::string note = {}) {
        cases->apply(n, typed(a, std::move(d), std::move(note)));
      };
      step(one, A::Register);
      step(one, A::Accept);
      step(one, A::Note, {.emergency = "EM-20261123-001", .departments = V{"fire", "police"}}, "emergency: dispatched");
      step(one, A::Assign, {.lead = "fire", .assisting = V{"police", "housing"}, .worker = "worker-7"});
      step(one, A::Arrive, {.lon = 98.512345678, .lat = 39.7});
      step(one, A::Supervise, {.rule = "escalate_overdue", .occurrence = "handle#1"}, "overdue");
      step(one, A::Urge, {.deadline = t0 + std::chrono::minutes(600)}, "快");
      step(one, A::Urge);
      step(one, A::Note, {}, "just a note");
      step(one, A::Feedback, {.result = "已清理", .mediation = core::Mediation::Success});
      step(one, A::Close);
      step(one, A::Visit, {.satisfaction = core::Satisfaction::Unsatisfied});
      step(one, A::Rework, {.reworkTo = S::Assigned});
      step(one, A::StartHandling);
      step(one, A::Feedback);
      step(one, A::Close);
      step(one, A::Visit, {.satisfaction = core::Satisfaction::BasicallySatisfied});
      step(one, A::Archive);
      // 2: the field's report; return, escalate, park, extend, a merge target.
      const std::string two = cases->report(typed(A::Report, {.category = "0301",
                                                              .lon = 98.5,
                                                              .lat = 39.75,
                                                              .grid = kMicroB,
                                                              .title = "",
                                                              .description = "",
                                                              .priority = core::Priority::Normal,
                                                              .source = "grid_worker",
                                                              .address = "",
                                                              .reporter = core::Reporter{"", "139", {}},
                                                              .reportedByWorker = "worker-9"}));
      step(two, A::Register);
      step(two, A::Accept);
      step(two, A::Assign, {.lead = "police", .assisting = V{}, .emergency = "EM-1"});
      step(two, A::Return, {}, "not ours");
      step(two, A::Escalate, {}, "too big");
      step(two, A::Park, {}, "waiting");
      step(two, A::Resume);
      step(two, A::Extend, {.approver = "主任王", .amount = 2, .unit = core::LimitUnit::WorkingDays});
      step(two, A::Extend, {.approver = "li", .amount = 1.5, .unit = core::LimitUnit::NaturalHours});
      // 3: a report with the least details, voided; 4: merged into 2; 5: reworked to the default.
      const std::string three = cases->report(typed(A::Report, {.category = "0302", .lon = 98.0, .lat = 39.0, .grid = ""}));
      const std::string four = cases->report(typed(A::Report, {.category = "0301",
                                                               .lon = 98.52,
                                                               .lat = 39.74,
                                                               .grid = kMicroA,
                                                               .reporter = core::Reporter{"李四", "137", {}}}));
      cases->merge(four, two, typed(A::Merge, {}, "same leak"));
      step(three, A::Register);
      step(three, A::Void, {}, "duplicate call");
      const std::string five = caseIn(S::Handled, t0 + std::chrono::minutes(minute++));
      step(five, A::Rework);
      return {one, two, three, four, five};
    }

    const core::TimePoint t0 = core::beijingTime(2026, 11, 23, 9, 0);
    int minute = 0;
};

} // namespace

TEST_F(CaseEventJsonTest, EveryKindOfEventIsStoredAsTheJsonBagWroteIt)
{
  const std::vector<std::string> numbers = walkEveryKind();
  std::size_t i = 0;
  for (const std::string &n : numbers)
  {
    auto q = db->query(std::string("SELECT e.data, ") +
                       std::string(db->dialect("lower(hex(e.chain))", "encode(e.chain, 'hex')")) +
                       " FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? ORDER BY e.seq");
    q.bindAll(n);
    const std::vector<core::CaseEvent> events = cases->events(n);
    std::size_t seq = 0;
    while (q.step())
    {
      ASSERT_LT(i, std::size(kExpected));
      ASSERT_LT(seq, events.size());
      const ExpectedEvent &expected = kExpected[i++];
      EXPECT_EQ(q->columnText(0), expected.stored) << n << " event " << seq + 1;
      EXPECT_EQ(caseEventToJson(events[seq]).dump(), expected.event) << n << " event " << seq + 1;
      // The same text under the same link: a store written before reads and verifies.
      EXPECT_EQ(q->columnText(1), expected.chain) << n << " event " << seq + 1;
      ++seq;
    }
  }
  EXPECT_EQ(i, std::size(kExpected));
  EXPECT_EQ(Schema::integrityProblems(*db), std::vector<std::string>());
  EXPECT_EQ(cases->verifyProjections(), std::vector<std::string>());
}

TEST_F(CaseEventJsonTest, ReadingAnEventAndWritingItAgainGivesTheSameText)
{
  for (const ExpectedEvent &e : kExpected)
  {
    EXPECT_EQ(caseEventToJson(caseEventFromJson(json::parse(e.event))).dump(), e.event);
    EXPECT_EQ(caseDetailsToJson(caseDetailsFromJson(json::parse(e.stored))).dump(), e.stored);
  }
  // What no producer writes but an import file or an old store may hold: unknown keys, other
  // number forms, names the enums do not write, wrong types. Kept verbatim, written back as read.
  for (const char *text : {R"({"lon":98,"lat":39.5,"category":"0301","extra":{"a":[1,2.5,null]}})",
                           R"({"amount":2.0,"unit":"working_days","approver":"x"})", R"({"amount":-3,"unit":"wd"})",
                           R"({"priority":"urgentissimo","reporter":{"name":"a"},"worker":7})",
                           R"({"assisting":["a",1],"to":"later","deadline":"2026-11-23T09:00:00Z"})",
                           R"({"reporters":[{"name":"a","phone":"1","case":"n","x":1}],"satisfaction":""})"})
    EXPECT_EQ(caseDetailsToJson(caseDetailsFromJson(json::parse(text))).dump(), json::parse(text).dump()) << text;
  // An integer "lon" is still the report's location; an unreadable "worker" is not a worker.
  const core::CaseDetails odd = caseDetailsFromJson(json::parse(R"({"lon":98,"worker":7,"amount":2.0})"));
  EXPECT_EQ(odd.lon, 98.0);
  EXPECT_EQ(odd.amount, 2.0);
  EXPECT_FALSE(odd.worker);
  EXPECT_EQ(odd.verbatim.count("worker"), 1u);
}

TEST(CaseEventJson, BadJsonNamesTheField)
{
  json j = caseEventToJson(core::CaseEvent{"n", A::Note, "a", core::beijingTime(2026, 1, 5), S::Accepted, S::Accepted, "", {}});
  j["at"] = "2026-01-05 09:00";
  try
  {
    caseEventFromJson(j);
    FAIL();
  }
  catch (const std::invalid_argument &e)
  {
    EXPECT_NE(std::string(e.what()).find("\"at\""), std::string::npos);
  }
  j["at"] = "2026-01-05T09:00:00+08:00";
  j["action"] = "dance";
  EXPECT_THROW(caseEventFromJson(j), std::invalid_argument);
  EXPECT_THROW(caseEventFromJson(json::array()), std::invalid_argument);
  j["action"] = "note";
  j["data"] = json::array();
  EXPECT_THROW(caseEventFromJson(j), std::invalid_argument);
}
