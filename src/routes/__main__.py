from routes.presentation.cli import main

main()
