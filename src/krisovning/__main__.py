from krisovning.cli import main

raise SystemExit(main())
