#!/work/wt/statsd/.venv-graphite-web/bin/python3
from django.core import management

if __name__ == "__main__":
    management.execute_from_command_line()
