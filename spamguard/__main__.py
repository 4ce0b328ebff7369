from spamguard.cli import main

raise SystemExit(main())
