/* placeholder: being written */
typedef int asl_placeholder_cli;
