from hpkg.cli import main

main()
