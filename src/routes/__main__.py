from routes.cli import main

main()
