#pragma once
// Which permission of the matrix (roles.h, permissions.conf) each case workflow step needs,
// and how personal data of reporters is masked for a seat that may not read it (issue 17;
// GB/T 22239-2019 §8.1.4 访问控制: least privilege; 个人信息保护). Plain logic: the console's
// services ask these before they do or show a thing.

#include "core/caseworkflow.h"
#include "core/roles.h"

#include <string>
#include <string_view>

namespace gd::core {

/**
 * The permission step \a action needs:
 *  - report (intake, a further report): case.intake
 *  - register, accept, void, merge, park, resume: case.register (the duty desk keeps the register)
 *  - assign, return, escalate: case.assign (the dispatcher decides who handles it)
 *  - urge, supervise: case.supervise
 *  - start_handling, arrive, note, feedback, extend: case.handle (the department or grid worker)
 *  - close, archive, rework: case.close (the center checks the result: 核查结案)
 *  - visit: case.visit (the follow-up call to the reporter: 回访)
 */
Action permissionFor(CaseAction action);

/**
 * A name with its middle masked, by characters (UTF-8): "张三丰" → "张*丰", "张三" → "张*",
 * "欧阳小华" → "欧**华", one character → "*". Empty stays empty.
 */
std::string maskName(std::string_view name);

/**
 * A phone number with all but its first three and last four digits masked ("13812345678" →
 * "138****5678", "0931-8123456" → "093*-***3456"); a shorter one keeps only its last two
 * digits. Separators (-, space, +) stay where they are. Empty stays empty.
 */
std::string maskPhone(std::string_view phone);

} // namespace gd::core
