#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# with-xvfb.py COMMAND [ARG...]: runs COMMAND with DISPLAY set to a private
# Xvfb server, started with -displayfd so that parallel tests never race for
# a display number (xvfb-run -a does), and stopped afterwards. Exits with
# COMMAND's status; fails, never skips, when Xvfb cannot start.

import os
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: with-xvfb.py COMMAND [ARG...]')
    xvfb = shutil.which('Xvfb')
    if xvfb is None:
        sys.exit('with-xvfb.py: Xvfb is not installed (Debian package xvfb)')

    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, '-displayfd', str(write_fd), '-screen', '0', '1280x1024x24',
         '-nolisten', 'tcp', '-noreset'],
        pass_fds=[write_fd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = f.readline().strip()
    if not display:
        server.kill()
        sys.exit('with-xvfb.py: Xvfb did not start')

    env = dict(os.environ, DISPLAY=':' + display)
    env.pop('WAYLAND_DISPLAY', None)
    try:
        status = subprocess.call(sys.argv[1:], env=env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == '__main__':
    main()
