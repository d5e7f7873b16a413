#!/usr/bin/env bash
# t30-jira-sync.sh against a Data Center fake that offers bulk create.
JIRA_DEPLOYMENT=datacenter JIRA_DC_BULK=1 JIRA_TEST_NAME=t32-jira-dc-bulk-sync \
	exec bash "$(dirname "$0")/t30-jira-sync.sh"
