from __future__ import annotations

from interview_sim.cli.main import main

raise SystemExit(main())
