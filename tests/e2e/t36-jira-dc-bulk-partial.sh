#!/usr/bin/env bash
# t35-jira-bulk-partial.sh against a Data Center fake that offers bulk create.
JIRA_DEPLOYMENT=datacenter JIRA_TEST_NAME=t36-jira-dc-bulk-partial \
	exec bash "$(dirname "$0")/t35-jira-bulk-partial.sh"
