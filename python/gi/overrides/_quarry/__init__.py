# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers of the Quarry overrides (gi/overrides/Quarry.py); not an API."""
