from __future__ import annotations

from interview_sim.cli import main

raise SystemExit(main())
