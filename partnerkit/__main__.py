import sys

from partnerkit.cli import main

sys.exit(main())
