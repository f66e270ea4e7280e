from themecoder.cli import main

raise SystemExit(main())
