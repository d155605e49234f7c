import { registry } from "@web/core/registry";

// From a component lot: Create Recall -> compute -> finished phones listed with the
// component lot they are affected through -> open the campaign.
registry.category("web_tour.tours").add("serial_tracking_mrp_genealogy_tour", {
    steps: () => [
        {
            content: "Select the component lot of the list",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Create a recall from the selected lot",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Create Recall)",
            run: "click",
        },
        {
            content: "Give the campaign a title",
            trigger: ".o_form_view .o_field_widget[name=title] input",
            run: "edit Tour: cells may swell",
        },
        {
            content: "Compute the scope",
            trigger: ".o_form_view button[name=action_compute_scope]",
            run: "click",
        },
        {
            content: "Five units are in scope through the cells",
            trigger: "button[name=action_view_via_lines] .o_stat_value:contains(5)",
        },
        {
            content: "A phone built from the cells, via the cell lot",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains(PH-2) td[name=via_label]:contains(CELL-A)",
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
    ],
});
