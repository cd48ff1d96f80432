"""Every xAPI statement checked by an independent validator: Learning Locker's
``@learninglocker/xapi-validation`` (npm, in package.json), run under Node.

``statement_problems(statements)`` returns one line per problem the validator
finds (``[index] path: what``), ``[]`` when every statement is valid xAPI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

from browserkit import require_node_file

# Reads a JSON array of statements on stdin, prints a JSON array of
# [index, path, type name] for every warning the validator returns.
SCRIPT = """
const validate = require(process.argv[1]).default;
let text = "";
process.stdin.on("data", (chunk) => { text += chunk; });
process.stdin.on("end", () => {
  const out = [];
  JSON.parse(text).forEach((statement, index) => {
    for (const w of validate(statement)) {
      out.push([index, w.path.join("."), w.typeName || w.name || "invalid"]);
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def statement_problems(statements: Sequence[dict[str, Any]]) -> list[str]:
    """The validator's findings for ``statements`` (``[]``: all valid)."""
    validator = require_node_file("@learninglocker/xapi-validation/dist/index.js")
    node = shutil.which("node")
    assert node, "node is not on PATH (the npm test kit needs it)"
    result = subprocess.run(
        [node, "-e", SCRIPT, str(validator)],
        input=json.dumps(list(statements)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [f"[{i}] {path}: {kind}" for i, path, kind in json.loads(result.stdout)]
