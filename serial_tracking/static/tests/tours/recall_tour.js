import { registry } from "@web/core/registry";

// Select serials in the lot list -> Create Recall -> compute -> open -> resolve.
registry.category("web_tour.tours").add("serial_tracking_recall_tour", {
    steps: () => [
        {
            content: "Select every serial of the list",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Create a recall from the selected serials",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Create Recall)",
            run: "click",
        },
        {
            content: "Give the campaign a title",
            trigger: ".o_form_view .o_field_widget[name=title] input",
            run: "edit Tour: cracked housing",
        },
        {
            content: "Compute the scope",
            trigger: ".o_form_view button[name=action_compute_scope]",
            run: "click",
        },
        {
            content: "Two units are in scope",
            trigger: "button[name=action_view_lines] .o_stat_value:contains(2)",
        },
        {
            content: "Open the campaign",
            trigger: ".o_form_view button[name=action_open]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The campaign is open",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Open)",
        },
        {
            content: "Go to its units",
            trigger: "button[name=action_view_lines]",
            run: "click",
        },
        {
            content: "Select all units",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Resolve them",
            trigger: ".o_control_panel button[name=action_resolve_wizard]",
            run: "click",
        },
        {
            content: "As repaired",
            trigger: ".modal .o_field_widget[name=resolution] select",
            run: "selectByLabel Repaired",
        },
        {
            content: "Confirm the resolution",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Both units are resolved",
            trigger: ".o_list_view .o_data_row:nth-child(2) .o_field_widget[name=state]:contains(Resolved)",
        },
        {
            content: "Both units are resolved",
            trigger: ".o_list_view .o_data_row:nth-child(1) .o_field_widget[name=state]:contains(Resolved)",
        },
    ],
});
