#!/usr/bin/env python3
"""Fill the exp_annotations of a promtool unit-test file from what the rules render.

promtool compares alert annotations exactly, so rewording a summary or runbook breaks the tests. This runs
`promtool test rules` on TEST_FILE (copied next to the rule files in RULES_DIR) and, for every `- exp_labels:` entry
whose labels match an alert promtool got at that test / alertname / eval_time, writes the rendered annotations under
it. It never adds or removes expected alerts: which alerts fire, and when, stays what the test author wrote.
Review the diff: the rendered summaries are part of what the tests check.

Usage:
  npx tsx scripts/write-rule-files.ts /tmp/rules
  python3 scripts/fill-promtool-annotations.py test/rules/promtool/gpu.yaml /tmp/rules

Needs promtool and PyYAML (Debian: apt-get install -y prometheus python3-yaml).
"""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

UNITS = {'ms': 0.001, 's': 1, 'm': 60, 'h': 3600, 'd': 86400}
QUOTED = r'(\w+)="((?:[^"\\]|\\.)*)"'


def seconds(duration):
    return sum(int(n) * UNITS[u] for n, u in re.findall(r'(\d+)(ms|s|m|h|d)', duration))


def pairs(text):
    return {k: json.loads('"' + v + '"') for k, v in re.findall(QUOTED, text)}


def rendered(test_file, rules_dir):
    copy = os.path.join(rules_dir, 'test-' + os.path.basename(test_file))
    shutil.copy(test_file, copy)
    out = subprocess.run(['promtool', 'test', 'rules', copy], capture_output=True, text=True)
    text = out.stdout + out.stderr
    got = {}
    failure = re.compile(r'name: (.*?),\s*\n\s*alertname: (\w+), time: (\S+), \n(.*?)(?=\n\s*name: |\n\s*alertname: |\Z)', re.S)
    for m in failure.finditer(text):
        name, alert, time, body = m.group(1), m.group(2), m.group(3).rstrip(','), m.group(4)
        after = body.split('got:[', 1)[1] if 'got:[' in body else ''
        for labels, annotations in re.findall(r'Labels:\{(.*?)\}\n\s*Annotations:\{(.*?)\}\n', after, re.S):
            label_set = pairs(labels)
            label_set.pop('alertname', None)
            got[(name, alert, seconds(time), json.dumps(label_set, sort_keys=True))] = pairs(annotations)
    return got


def main(test_file, rules_dir):
    got = rendered(test_file, rules_dir)
    out, name, alert, time = [], None, None, None
    replacing_at = None  # indent of an old exp_annotations block being replaced
    for line in open(test_file).read().split('\n'):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if replacing_at is not None:
            if stripped.startswith('exp_annotations:') and indent == replacing_at:
                continue
            if stripped and indent > replacing_at:
                continue
            replacing_at = None
        out.append(line)
        if stripped.startswith('- name:'):
            name = stripped[len('- name:'):].strip()
        elif stripped.startswith('alertname:'):
            alert = stripped.split(':', 1)[1].strip()
        elif stripped.lstrip('- ').startswith('eval_time:'):
            time = seconds(stripped.split(':', 1)[1].strip())
        elif stripped.startswith('- exp_labels:'):
            labels = {k: str(v) for k, v in yaml.safe_load(stripped[2:])['exp_labels'].items()}
            key = (name, alert, time, json.dumps(labels, sort_keys=True))
            if key not in got:
                continue  # already right, or not firing as expected: promtool says which
            pad = ' ' * (indent + 2)
            out.append(pad + 'exp_annotations:')
            for k in sorted(got[key]):
                out.append(pad + '  ' + k + ': ' + json.dumps(got[key][k], ensure_ascii=False))
            replacing_at = indent + 2
    open(test_file, 'w').write('\n'.join(out))
    print(f'{test_file}: filled {len(got)} alert(s)')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
