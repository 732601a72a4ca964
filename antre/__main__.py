from antre.cli import main

raise SystemExit(main())
