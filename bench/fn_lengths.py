#!/usr/bin/env python3
"""The longest hand-written Rust functions of a checkout (generated files, whose
first line says `@generated`, are skipped).

    python3 bench/fn_lengths.py [ROOT] [--over N] [--top K]

A function runs from its `fn` line to the line of its closing brace at the
same nesting (found by counting braces outside strings, chars and comments);
its length counts both lines."""
import argparse
import os
import re
import subprocess

FN = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"[^"]*"\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)')


def strip(line, state):
    """The line without strings, chars and comments; `state` carries block comments and strings."""
    out = []
    i = 0
    while i < len(line):
        c = line[i]
        if state['block']:
            if line.startswith('*/', i):
                state['block'] = False
                i += 2
            else:
                i += 1
            continue
        if state['raw'] is not None:
            end = '"' + '#' * state['raw']
            j = line.find(end, i)
            if j < 0:
                return ''.join(out)
            state['raw'] = None
            i = j + len(end)
            continue
        if state['str']:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                state['str'] = False
            i += 1
            continue
        if line.startswith('//', i):
            break
        if line.startswith('/*', i):
            state['block'] = True
            i += 2
            continue
        m = re.match(r'(b?r)(#*)"', line[i:])
        if m:
            state['raw'] = len(m.group(2))
            i += len(m.group(0))
            continue
        if c == '"':
            state['str'] = True
            i += 1
            continue
        if c == "'":
            m = re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'", line[i:])
            if m:
                i += len(m.group(0))
                continue
        out.append(c)
        i += 1
    return ''.join(out)


def functions(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    if lines and '@generated' in lines[0]:
        return []
    state = {'block': False, 'str': False, 'raw': None}
    code = [strip(l, state) for l in lines]
    found = []
    for i, l in enumerate(code):
        m = FN.match(l)
        if not m:
            continue
        depth = 0
        opened = False
        for j in range(i, len(code)):
            for ch in code[j]:
                if ch == '{':
                    depth += 1
                    opened = True
                elif ch == '}':
                    depth -= 1
                elif ch == ';' and not opened and depth == 0:
                    break
            else:
                if opened and depth == 0:
                    found.append((j - i + 1, path, i + 1, m.group(7)))
                    break
                continue
            break
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('root', nargs='?', default='.')
    ap.add_argument('--over', type=int, default=110)
    ap.add_argument('--top', type=int, default=15)
    a = ap.parse_args()
    files = subprocess.run(['git', '-C', a.root, 'ls-files', '*.rs'], capture_output=True,
                           text=True, check=True).stdout.split()
    allf = []
    for rel in files:
        path = os.path.join(a.root, rel)
        if os.path.exists(path):
            allf.extend((n, rel, line, name) for n, _, line, name in functions(path))
    allf.sort(reverse=True)
    over = [f for f in allf if f[0] > a.over]
    print(f'{len(allf)} hand-written functions; {len(over)} over {a.over} lines')
    for n, rel, line, name in allf[:a.top]:
        print(f'{n:5}  {name}  {rel}:{line}')


if __name__ == '__main__':
    main()
