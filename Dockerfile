# policyflow: one image for the web server, the Celery worker and Celery beat.
# docker-compose.yml chooses which of them a container runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    POLICYFLOW_VAR_DIR=/var/lib/policyflow \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# The dependencies get a layer of their own, read from pyproject.toml, so that
# a change to the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Editable, so that the code runs from /app, where settings also find the
# templates and the demo app that the package itself does not carry.
COPY . .
RUN pip install --no-deps -e .

# Static files are baked into the image (whitenoise serves them). Settings
# refuse to load without a SECRET_KEY when DEBUG is off: this one exists only
# for the length of this command and is never used to sign anything.
RUN SECRET_KEY=collectstatic-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0

# The app runs unprivileged. It may write only its data directory (documents
# when no STORAGE_URL names a bucket; Compose names MinIO's), the beat
# schedule and its home (gunicorn's control socket); the code and static
# files stay root's.
RUN useradd --system --user-group --create-home --home-dir /home/policyflow policyflow \
    && mkdir -p /var/lib/policyflow /var/lib/celerybeat \
    && chown policyflow:policyflow /var/lib/policyflow /var/lib/celerybeat
USER policyflow

EXPOSE 8000
# scripts/gunicorn.conf.py: workers, timeouts, and which proxy headers to trust.
CMD ["gunicorn", "policyflow.wsgi", "--config", "scripts/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
